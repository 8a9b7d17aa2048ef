"""The demo catalogue of 无锡市: real items with complete guides published
through the real review path, bundles, tags and topics, one suspended item;
loading twice adds nothing (R3.2–R3.8, R4.3, R4.4, R6.5).

The catalogue is loaded once for the module inside a transaction that is
rolled back at the end, so other test modules start from an empty catalogue.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict

import pytest
from django.db import transaction

from yiwang.core.audit import audit_verify
from yiwang.core.checkdigits import credit_code_error
from yiwang.core.models import AuditEntry
from yiwang.demo import catalog_data as data
from yiwang.demo.catalog import load_catalog
from yiwang.demo.catalog_data.common import CERT
from yiwang.domains.catalog.errors import ItemNotAcceptingApplications
from yiwang.domains.catalog.guide import missing_elements
from yiwang.domains.catalog.models import (
    Bundle,
    BundleMember,
    CatalogEntry,
    CatalogEntryVersion,
    Faq,
    Fee,
    ItemVersion,
    Lifecycle,
    MaterialSpec,
    ServiceItem,
    StepSpec,
    SuspendReason,
    Tag,
    Topic,
    Variant,
    VersionStatus,
)
from yiwang.domains.catalog.selectors import (
    bundle_merged_form,
    bundle_merged_materials,
    item_for_application,
    item_version_missing,
    same_level_differences,
)
from yiwang.domains.catalog.services import basic_code_pattern

pytestmark = pytest.mark.django_db

MODELS = (
    CatalogEntry,
    CatalogEntryVersion,
    ServiceItem,
    ItemVersion,
    Variant,
    MaterialSpec,
    StepSpec,
    Fee,
    Faq,
    Tag,
    Topic,
    Bundle,
    BundleMember,
    AuditEntry,
)
SECONDS: dict[str, float] = {}


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.fixture(scope="module")
def catalog(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        start = time.perf_counter()
        result = load_catalog()
        SECONDS["first"] = time.perf_counter() - start
        yield result
        transaction.set_rollback(True)


def _item(basic_code: str, division: str) -> ServiceItem:
    return ServiceItem.objects.get(entry__basic_code=basic_code, division__code=division)


def test_loading_twice_adds_nothing(catalog):
    """Loading is idempotent: a second call creates no row and appends no audit
    entry, and every row written by the first is covered by the audit chain."""
    first = counts()
    start = time.perf_counter()
    again = load_catalog()
    SECONDS["second"] = time.perf_counter() - start
    assert again["created"] == {}
    assert counts() == first
    assert again == {**catalog, "created": {}}
    report = audit_verify()
    assert report.ok, [str(p) for p in report.problems[:5]]
    print(f"\n首次加载 {SECONDS['first']:.1f} 秒，再次加载 {SECONDS['second']:.2f} 秒")


def test_at_least_fifty_published_items_with_complete_guides(catalog):
    """R3.4, R3.8: at least 50 real items, each published through review with
    every required guide element (convenience items with the lighter guide)."""
    assert catalog["created"]["entries"] == len(data.ENTRIES)
    items = list(
        ServiceItem.objects.select_related("current", "entry", "division").filter(
            current__status=VersionStatus.PUBLISHED
        )
    )
    assert len(items) >= 50
    assert catalog["published"] == len(items) == catalog["items"]
    for item in items:
        assert item_version_missing(item.current) == [], item.search_name
    convenience = [i for i in items if i.is_convenience]
    assert len(convenience) >= 2
    assert {i.division.level for i in convenience} <= {"town", "village"}
    assert {i.division.level for i in convenience} == {"town", "village"}
    food = ServiceItem.objects.get(entry__basic_code="010130001000", division__code="320200")
    version = food.current
    assert (version.statutory_limit, version.promised_limit) == (10, 5)
    assert [v.code for v in version.variants.all()] == ["new", "change", "renew"]
    assert any(s.is_special for s in version.steps.all())
    assert version.windows.exists()
    assert food.search_initials.startswith("spjyxk")


def test_guide_data_is_complete_before_loading():
    """R3.4: the composed guide of every implementation passes the
    completeness check in plain data, before any service sees it."""
    for entry, place in data.implementations():
        guide = data.guide_for(entry, place)
        missing = missing_elements(
            guide,  # type: ignore[arg-type]
            convenience=bool(entry.get("convenience")),
            is_power=entry["item_type"] != "21",
            legal_basis=entry["legal_basis"],
        )
        assert missing == [], (entry["name"], place["agency"], missing)
        if guide.get("statutory_limit") is not None and guide["statutory_unit"] == guide.get(
            "promised_unit"
        ):
            assert guide["promised_limit"] <= guide["statutory_limit"], entry["name"]


def test_catalogue_entries_follow_the_standard(catalog):
    """R3.1–R3.3, R3.6: stable unique 12-character basic codes, every entry
    published after the centre's and the legal review with its legal basis,
    sub-items under a main item, implementation codes that start with the
    implementing agency's credit code, and every item type used."""
    entries = list(CatalogEntry.objects.select_related("current", "current__item_type"))
    codes = [e.basic_code for e in entries]
    assert len(codes) == len(set(codes)) == len(data.ENTRIES)
    assert all(basic_code_pattern().match(c) for c in codes)
    assert all(re.fullmatch(r"[0-9A-Z]{12}", c) for c in codes)
    for entry in entries:
        assert entry.current.status == VersionStatus.PUBLISHED
        assert entry.current.legal_basis, entry.basic_code
        assert all(not ref["title"].startswith("《") for ref in entry.current.legal_basis)
    assert {e.current.item_type.code for e in entries} >= {"01", "05", "07", "20", "21"}
    children = [e for e in entries if e.parent_id]
    assert {c.current.name for c in children} >= {
        "企业设立登记（有限责任公司）",
        "机动车驾驶证换证",
    }
    for item in ServiceItem.objects.select_related("agency"):
        assert item.implementation_code.startswith(item.agency.credit_code)
    food = CatalogEntry.objects.get(basic_code="010130001000")
    assert food.current.legal_basis[0]["title"] == "中华人民共和国食品安全法"
    assert food.current.legal_basis[0]["article"] == "第三十五条"
    assert food.owner.name == "无锡市市场监督管理局"


def test_same_level_report_shows_one_difference(catalog):
    """R3.3 (平级相同): two districts implement 食品经营许可 with different
    promised limits; 个体工商户设立登记 and 居民身份证换领 are identical."""
    report = {r["basic_code"]: r for r in same_level_differences("county")}
    assert "010130001000" in report
    food = report["010130001000"]
    elements = {d["element"]: d for d in food["differences"]}
    assert set(elements) == {"承诺办结时限"}
    values = {v["division"]: v["value"] for v in elements["承诺办结时限"]["values"]}
    assert values == {"梁溪区": "5工作日", "江阴市": "3工作日"}
    assert "010130002000" not in report  # 个体工商户设立登记: 梁溪区 = 江阴市
    assert "070040001000" not in report  # 居民身份证换领: 梁溪区 = 江阴市
    both = ServiceItem.objects.filter(entry__basic_code="010130002000", division__level="county")
    assert both.count() == 2


def test_one_item_suspended_off_cycle(catalog):
    """R4.3, R4.4: the periodic 教师资格认定 is suspended off-cycle; its guide
    stays published and the case-acceptance selector refuses it."""
    item = _item("010030001000", "320200")
    assert item.lifecycle == Lifecycle.SUSPENDED
    assert item.suspend_reason == SuspendReason.OFF_CYCLE
    assert "春季、秋季" in item.suspend_note
    assert item.current.status == VersionStatus.PUBLISHED
    with pytest.raises(ItemNotAcceptingApplications):
        item_for_application(item_id=item.pk)
    food = _item("010130001000", "320213")
    assert item_for_application(item_id=food.pk, variant_code="new").item_id == food.pk
    assert ServiceItem.objects.filter(lifecycle=Lifecycle.SUSPENDED).count() == 1


def test_three_bundles_merge_forms_and_materials(catalog):
    """R6.5: 开办餐饮店, 新生儿出生 and 企业开办, each coded with a lead agency;
    shared form fields are asked once and a certificate several members need
    is one material."""
    bundles = {b.name: b for b in Bundle.objects.select_related("division", "lead_agency")}
    assert set(bundles) == {"开办餐饮店", "新生儿出生", "企业开办"}
    assert all(b.members.count() >= 4 for b in bundles.values())
    assert bundles["开办餐饮店"].division.code == "320213"
    assert bundles["开办餐饮店"].lead_agency.name == "无锡市梁溪区市场监督管理局"

    startup = bundles["企业开办"]
    form = bundle_merged_form(startup)
    assert len(form["x-members"]["entity_name"]) >= 4
    assert form["properties"]["entity_name"]["title"] == "单位（经营者）名称"
    materials = bundle_merged_materials(startup)
    licence = [m for m in materials if m["certificate_type_code"] == CERT["business_licence"]]
    assert len(licence) == 1 and len(licence[0]["items"]) >= 4

    newborn = bundle_merged_form(bundles["新生儿出生"])
    for name in ("child_name", "mother_id_number", "contact_phone"):
        assert len(newborn["x-members"][name]) >= 2, name
    restaurant = bundle_merged_form(bundles["开办餐饮店"])
    assert len(restaurant["x-members"]["business_address"]) >= 2


def test_tags_topics_and_certificate_types(catalog):
    """R3.7: special-service tags and portal topics are on the items; the
    certificate type codes of materials are well-formed GB/T 36904 type codes
    (a credit code with a valid check character + 3 digits), one per kind."""
    used = Counter(
        code
        for item in ServiceItem.objects.all()
        for code in item.tags.values_list("code", flat=True)
    )
    assert set(used) >= {
        "mashang",
        "wangshang",
        "zhangshang",
        "mianzheng",
        "jiujin",
        "bangban",
        "kuasheng",
        "shengnei",
        "miaoban",
        "zhengyin",
        "quanyu",
    }
    topics = {t.code: t.items.count() for t in Topic.objects.all()}
    assert len(topics) == len(data.TOPICS)
    assert all(n > 0 for n in topics.values()), topics
    assert (
        ServiceItem.objects.get(entry__basic_code="010130001000", division__code="320200")
        .topics.filter(code="th_catering")
        .exists()
    )

    for code in CERT.values():
        assert len(code) == 21 and code[18:].isdigit()
        assert credit_code_error(code[:18]) is None
    names: dict[str, set[str]] = defaultdict(set)
    for m in MaterialSpec.objects.exclude(certificate_type_code=""):
        assert m.certificate_type_code in CERT.values()
        names[m.name].add(m.certificate_type_code)
    assert names["营业执照"] == {CERT["business_licence"]}
    assert all(len(codes) == 1 for codes in names.values()), names
