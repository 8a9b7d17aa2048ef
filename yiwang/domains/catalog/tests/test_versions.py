"""Versions of a guide: completeness before submit and publish, immutability,
non-overlapping validity windows, one open draft, pinned references (R3.4,
R3.5, R3.8)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yiwang.core.audit import audit_verify
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.domains.catalog import selectors, services
from yiwang.domains.catalog.errors import GuideIncomplete
from yiwang.domains.catalog.models import (
    CatalogEntryVersion,
    ItemVersion,
    MaterialSpec,
    ServiceItem,
    VersionStatus,
)
from yiwang.domains.catalog.tests.conftest import full_guide, publish_entry, publish_item

pytestmark = pytest.mark.django_db


def _draft(city, guide=None, **kw):
    entry = kw.pop("entry", None) or publish_entry(city)
    return services.service_item_create(
        actor=city.lx_editor,
        entry=entry,
        agency=city.lx_scj,
        division=city.lx,
        guide=guide if guide is not None else full_guide(),
        **kw,
    )


def _through(city, version, *, admin=None, valid_from=None):
    admin = admin or city.lx_admin
    version = services.item_version_submit(actor=city.lx_editor, version=version)
    version = services.item_version_review(actor=admin, version=version, approve=True)
    return services.item_version_publish(actor=admin, version=version, valid_from=valid_from)


def _audit_clean():
    report = audit_verify()
    assert report.ok, [str(p) for p in report.problems[:5]]


def test_publishing_with_missing_element_fails_and_old_version_still_resolves(catalog_city):
    """Acceptance (R3.4, R3.5): publishing an item with a missing required element
    fails and names the element; after a new version is published, a reference
    to the old version still resolves to the old content."""
    city = catalog_city
    guide = full_guide(legal_remedy="", consult_phone="")
    v1 = _draft(city, guide)
    with pytest.raises(GuideIncomplete) as err:
        services.item_version_submit(actor=city.lx_editor, version=v1)
    assert err.value.code == "guide_incomplete"
    assert err.value.missing == ["咨询方式", "法律救济途径"]
    assert "法律救济途径" in err.value.message and "咨询方式" in err.value.message
    assert err.value.as_dict()["missing"] == ["咨询方式", "法律救济途径"]

    # Even if a version reached "approved" some other way, publish checks again.
    v1 = services.item_version_update(
        actor=city.lx_editor,
        version=v1,
        guide={
            "legal_remedy": "可依法申请行政复议或者提起行政诉讼。",
            "consult_phone": "0510-12345",
        },
    )
    v1 = services.item_version_submit(actor=city.lx_editor, version=v1)
    v1 = services.item_version_review(actor=city.lx_admin, version=v1, approve=True)
    ItemVersion.objects.filter(pk=v1.pk).update(hours="")  # tamper behind the services' back
    with pytest.raises(GuideIncomplete) as err:
        services.item_version_publish(actor=city.lx_admin, version=v1)
    assert err.value.missing == ["办理时间"] and "不能发布" in err.value.message
    ItemVersion.objects.filter(pk=v1.pk).update(hours="工作日 9:00-17:00")
    services.item_version_publish(actor=city.lx_admin, version=ItemVersion.objects.get(pk=v1.pk))

    old_pk = v1.pk
    item = ServiceItem.objects.get(pk=v1.item_id)
    v2 = services.item_version_revise(
        actor=city.lx_editor, item=item, reason="压缩承诺时限、精简材料"
    )
    guide2 = selectors.guide_doc_of(v2)
    guide2["promised_limit"] = 3
    guide2["materials"] = [m for m in guide2["materials"] if m["code"] != "layout"]
    guide2["materials"].append(
        {
            "code": "health",
            "name": "从业人员健康证明",
            "kind": "certificate",
            "form": "electronic",
            "necessity": "required",
            "source": "government",
        }
    )
    v2 = services.item_version_update(actor=city.lx_editor, version=v2, guide=guide2)
    v2 = _through(city, v2)

    old = selectors.item_version_public(version_id=old_pk)
    assert old.status == VersionStatus.SUPERSEDED
    assert old.promised_limit == 5
    assert [m.name for m in old.materials.all()] == [
        "食品经营许可申请书",
        "营业执照",
        "经营场所平面布局图",
    ]
    new = selectors.item_version_public(version_id=v2.pk)
    assert new.promised_limit == 3
    assert [m.name for m in new.materials.all()] == [
        "食品经营许可申请书",
        "营业执照",
        "从业人员健康证明",
    ]
    item.refresh_from_db()
    assert item.current_id == v2.pk
    _audit_clean()


def test_convenience_item_has_the_lighter_guide(catalog_city):
    """R3.8: a convenience-service item needs its responsible unit's content and
    management requirements, not the approval elements."""
    city = catalog_city
    entry = publish_entry(city, name="老年人优待证办理", item_type_code="21", legal_basis=[])
    light = {
        "audience": "person",
        "variants": [{"code": "first", "name": "首次办理"}],
        "steps": [{"code": "accept", "name": "受理", "role_code": "clerk", "time_limit": 1}],
        "promised_limit": 1,
        "address": "梁溪区各街道便民服务中心",
        "hours": "工作日 9:00-17:00",
        "consult_phone": "0510-88888888",
        "complaint_phone": "12345",
    }
    v = services.service_item_create(
        actor=city.lx_editor,
        entry=entry,
        agency=city.lx_scj,
        division=city.lx,
        guide=light,
        is_convenience=True,
    )
    with pytest.raises(GuideIncomplete) as err:
        services.item_version_submit(actor=city.lx_editor, version=v)
    assert err.value.missing == ["服务内容", "管理要求"]
    v = services.item_version_update(
        actor=city.lx_editor,
        version=v,
        guide={
            "service_content": "为60周岁以上老年人办理优待证",
            "management_requirements": "当场办结",
        },
    )
    v = _through(city, v)
    assert v.status == VersionStatus.PUBLISHED


def test_power_item_needs_the_entry_legal_basis(catalog_city):
    """R3.4 (LZW14): an administrative-power item's guide shows its setting basis;
    an entry without one cannot even be submitted."""
    city = catalog_city
    ev = services.catalog_entry_create(
        actor=city.city_editor,
        basic_code="LB0000000001",
        owner=city.city_scj,
        name="无依据的许可",
        item_type_code="01",
        legal_basis=[],
        exercise_levels=["county"],
    )
    with pytest.raises(ValidationFailed) as err:
        services.catalog_entry_version_submit(actor=city.city_editor, version=ev)
    assert "设定依据" in err.value.message
    v = _draft(city, entry=ev.entry)
    assert "法律依据（设定依据）" in selectors.item_version_missing(v)


def test_published_versions_are_immutable(catalog_city):
    """R3.5: a submitted, approved or published version cannot be changed."""
    city = catalog_city
    v = _draft(city)
    v = services.item_version_submit(actor=city.lx_editor, version=v)
    with pytest.raises(Conflict) as err:
        services.item_version_update(actor=city.lx_editor, version=v, guide={"hours": "全天"})
    assert err.value.code == "version_immutable" and "待中心审核" in err.value.message
    v = services.item_version_review(actor=city.lx_admin, version=v, approve=True)
    with pytest.raises(Conflict):
        services.item_version_update(actor=city.lx_editor, version=v, guide={"hours": "全天"})
    v = services.item_version_publish(actor=city.lx_admin, version=v)
    with pytest.raises(Conflict) as err:
        services.item_version_update(actor=city.lx_editor, version=v, guide={"hours": "全天"})
    assert "已发布" in err.value.message
    assert ItemVersion.objects.get(pk=v.pk).hours == full_guide()["hours"]


def test_wrong_state_transitions_are_conflicts_in_chinese(catalog_city):
    """R3.5: each step only from its state, with a Chinese message."""
    city = catalog_city
    v = _draft(city)
    with pytest.raises(Conflict) as err:
        services.item_version_review(actor=city.lx_admin, version=v, approve=True)
    assert err.value.message.endswith("草稿，不能审核")
    with pytest.raises(Conflict) as err:
        services.item_version_publish(actor=city.lx_admin, version=v)
    assert "不能发布" in err.value.message
    v = services.item_version_submit(actor=city.lx_editor, version=v)
    with pytest.raises(Conflict):
        services.item_version_submit(actor=city.lx_editor, version=v)
    with pytest.raises(ValidationFailed) as err:
        services.item_version_review(actor=city.lx_admin, version=v, approve=False, note="")
    assert "退回理由" in err.value.message
    v = services.item_version_review(
        actor=city.lx_admin, version=v, approve=False, note="受理条件表述不清"
    )
    assert v.status == VersionStatus.REJECTED
    # A returned version is edited and sent again.
    v = services.item_version_update(
        actor=city.lx_editor, version=v, guide={"acceptance_conditions": "具有合法经营场所。"}
    )
    assert v.status == VersionStatus.DRAFT
    v = _through(city, v)
    assert v.status == VersionStatus.PUBLISHED
    _audit_clean()


def test_workflow_permissions(catalog_city):
    """R2.2, R3.5: an editor of another agency and a centre admin of another
    district are refused; the city centre covers its districts."""
    city = catalog_city
    v = _draft(city)
    with pytest.raises(PermissionDenied) as err:
        services.item_version_update(actor=city.bh_editor, version=v, guide={"hours": "全天"})
    assert "梁溪区市场监督管理局" in err.value.message
    with pytest.raises(PermissionDenied):
        services.item_version_submit(actor=city.city_editor, version=v)
    v = services.item_version_submit(actor=city.lx_editor, version=v)
    with pytest.raises(PermissionDenied) as err:
        services.item_version_review(actor=city.bh_admin, version=v, approve=True)
    assert err.value.code == "scope" and "梁溪区" in err.value.message
    with pytest.raises(PermissionDenied):
        services.item_version_review(actor=city.lx_editor, version=v, approve=True)
    v = services.item_version_review(actor=city.city_admin, version=v, approve=True)
    with pytest.raises(PermissionDenied):
        services.item_version_publish(actor=city.bh_admin, version=v)
    services.item_version_publish(actor=city.lx_admin, version=v)


def test_validity_windows_never_overlap(catalog_city):
    """R3.5: publishing sets the previous version's end to the new start; a
    start before the previous start is refused; a version published for later
    takes over applications only from then."""
    city = catalog_city
    item = publish_item(city=city)
    v1 = item.current
    start1 = v1.valid_from
    v2 = services.item_version_revise(actor=city.lx_editor, item=item, reason="调整办理时间")
    v2 = services.item_version_update(actor=city.lx_editor, version=v2, guide={"hours": "全天"})
    v2 = services.item_version_submit(actor=city.lx_editor, version=v2)
    v2 = services.item_version_review(actor=city.lx_admin, version=v2, approve=True)
    with pytest.raises(ValidationFailed) as err:
        services.item_version_publish(
            actor=city.lx_admin, version=v2, valid_from=start1 - dt.timedelta(days=1)
        )
    assert err.value.code == "valid_from_invalid" and "不能早于上一版本" in err.value.message
    later = timezone.now() + dt.timedelta(days=3)
    v2 = services.item_version_publish(actor=city.lx_admin, version=v2, valid_from=later)
    v1.refresh_from_db()
    assert v1.status == VersionStatus.SUPERSEDED and v1.valid_to == later == v2.valid_from
    assert v2.valid_to is None
    # Until then applications still get v1.
    assert selectors.item_for_application(item_id=item.pk).pk == v1.pk
    versions = ItemVersion.objects.filter(item=item).order_by("number")
    windows = [(v.valid_from, v.valid_to) for v in versions]
    for (_, end), (start, _) in itertools.pairwise(windows):
        assert end == start


def test_one_open_draft_per_item(catalog_city):
    """R3.5: revising while a version is unpublished is refused, naming it."""
    city = catalog_city
    item = publish_item(city=city)
    with pytest.raises(ValidationFailed):
        services.item_version_revise(actor=city.lx_editor, item=item, reason="")
    draft = services.item_version_revise(actor=city.lx_editor, item=item, reason="更新常见问题")
    with pytest.raises(Conflict) as err:
        services.item_version_revise(actor=city.lx_editor, item=item, reason="再改一次")
    assert err.value.code == "draft_exists" and f"第{draft.number}版草稿" in err.value.message


def test_a_draft_revision_can_be_discarded(catalog_city):
    """R3.5: a revision not wanted any more is thrown away with its rows; the
    only version of an unpublished item cannot be."""
    city = catalog_city
    item = publish_item(city=city)
    draft = services.item_version_revise(actor=city.lx_editor, item=item, reason="试改")
    with pytest.raises(PermissionDenied):
        services.item_version_discard(actor=city.bh_editor, version=draft)
    services.item_version_discard(actor=city.lx_editor, version=draft)
    assert list(ItemVersion.objects.filter(item=item).values_list("number", flat=True)) == [1]
    again = services.item_version_revise(actor=city.lx_editor, item=item, reason="重新修订")
    assert again.number == 2
    first = _draft(city)
    with pytest.raises(Conflict) as err:
        services.item_version_discard(actor=city.lx_editor, version=first)
    assert "唯一的版本" in err.value.message
    _audit_clean()


def test_revise_copies_every_row_and_pins_the_published_entry(catalog_city):
    """R3.5, R3.3: a revision copies every row; name and type come from the
    entry's published version, re-pinned when the entry changes."""
    city = catalog_city
    item = publish_item(city=city)
    v1 = item.current
    before = selectors.guide_doc_of(v1)
    # The catalogue entry is renamed through its own dual review.
    ev = services.catalog_entry_revise(
        actor=city.city_editor,
        entry=item.entry,
        reason="依据新法规更名",
        name="食品经营许可（含仅销售预包装食品备案）",
    )
    ev = services.catalog_entry_version_submit(actor=city.city_editor, version=ev)
    ev = services.catalog_entry_version_review(actor=city.city_admin, version=ev, approve=True)
    ev = services.catalog_entry_version_legal_review(actor=city.legal, version=ev, approve=True)
    ev = services.catalog_entry_version_publish(actor=city.city_admin, version=ev)
    v2 = services.item_version_revise(actor=city.lx_editor, item=item, reason="随目录更名")
    assert selectors.guide_doc_of(v2) == before
    assert v2.entry_version_id == ev.pk and v1.entry_version_id != ev.pk
    v2 = _through(city, v2)
    item.refresh_from_db()
    assert item.search_name == "食品经营许可（含仅销售预包装食品备案）"
    diff = selectors.version_diff(v1, v2)
    assert diff == [
        {
            "element": "事项名称",
            "before": "食品经营许可",
            "after": "食品经营许可（含仅销售预包装食品备案）",
        }
    ]
    # The old version still shows the old name through its pinned entry version.
    assert ItemVersion.objects.get(pk=v1.pk).entry_version.name == "食品经营许可"
    _audit_clean()


def test_item_cannot_be_published_while_its_entry_is_unpublished(catalog_city):
    """R3.3: an item's name and type come from a published catalogue entry."""
    city = catalog_city
    ev = services.catalog_entry_create(
        actor=city.city_editor,
        basic_code="UP0000000001",
        owner=city.city_scj,
        name="尚未发布的事项",
        item_type_code="01",
        legal_basis=[{"title": "某条例"}],
        exercise_levels=["county"],
    )
    v = _draft(city, entry=ev.entry)
    v = services.item_version_submit(actor=city.lx_editor, version=v)
    v = services.item_version_review(actor=city.lx_admin, version=v, approve=True)
    with pytest.raises(Conflict) as err:
        services.item_version_publish(actor=city.lx_admin, version=v)
    assert err.value.code == "entry_unpublished" and "尚未发布" in err.value.message


def test_local_only_versions_follow_the_local_path(catalog_city):
    """R3.5: a change of local personal elements is reviewed by the local centre
    only and may not touch other elements."""
    city = catalog_city
    item = publish_item(city=city)
    v = services.item_version_revise(
        actor=city.lx_editor, item=item, reason="窗口搬迁", local_only=True
    )
    with pytest.raises(ValidationFailed) as err:
        services.item_version_update(
            actor=city.lx_editor, version=v, guide={"acceptance_conditions": "改了"}
        )
    assert "受理条件" in err.value.message
    # The whole document with only local changes is fine.
    doc = selectors.guide_doc_of(v)
    doc["address"] = "梁溪区新政务服务中心一楼"
    v = services.item_version_update(actor=city.lx_editor, version=v, guide=doc)
    v = services.item_version_submit(actor=city.lx_editor, version=v)
    with pytest.raises(PermissionDenied) as err:
        services.item_version_review(actor=city.city_admin, version=v, approve=True)
    assert "梁溪区政务服务中心" in err.value.message
    v = services.item_version_review(actor=city.lx_admin, version=v, approve=True)
    v = services.item_version_publish(actor=city.lx_admin, version=v)
    assert v.address == "梁溪区新政务服务中心一楼"


def test_version_diff_names_every_changed_element(catalog_city):
    """R3.5: the diff between two versions names each changed element in Chinese."""
    city = catalog_city
    item = publish_item(city=city)
    v1 = item.current
    v2 = services.item_version_revise(actor=city.lx_editor, item=item, reason="优化")
    doc = selectors.guide_doc_of(v2)
    doc["promised_limit"] = 3
    doc["handling_kind"] = "immediate"
    doc["delivery_ways"] = ["electronic"]
    doc["materials"][1]["copies"] = 2
    doc["materials"].pop()  # layout removed
    doc["steps"] = [s for s in doc["steps"] if s["code"] != "inspect"]
    doc["faqs"].append({"question": "需要本人到场吗？", "answer": "不需要。"})
    doc["charges_fee"] = True
    doc["fees"] = [{"name": "工本费", "standard": "10元/本", "legal_basis": "苏价费〔2020〕1号"}]
    v2 = services.item_version_update(actor=city.lx_editor, version=v2, guide=doc)
    diff = {d["element"]: d for d in selectors.version_diff(v1, v2)}
    assert diff["承诺办结时限"] == {"element": "承诺办结时限", "before": "5", "after": "3"}
    assert diff["办件类型"]["before"] == "承诺件" and diff["办件类型"]["after"] == "即办件"
    assert diff["送达方式"]["after"] == "电子送达"
    assert diff["是否收费"] == {"element": "是否收费", "before": "否", "after": "是"}
    assert "2份" in diff["申请材料“营业执照”"]["after"]
    assert diff["申请材料“经营场所平面布局图”"]["after"] == ""
    assert diff["办理环节“现场核查”"]["after"] == ""
    assert diff["常见问题“需要本人到场吗？”"]["before"] == ""
    assert "10元/本" in diff["收费项目“工本费”"]["after"]
    assert selectors.version_diff(v1, v1) == []


def test_update_replaces_lists_and_keeps_materials_linked_to_variants(catalog_city):
    """R3.6: replacing the variants keeps each material's variant by code; a
    material naming a missing variant is refused."""
    city = catalog_city
    v = _draft(city)
    variants = [
        {"code": "first", "name": "首次申请（新）"},
        {"code": "renew", "name": "延续"},
    ]
    v = services.item_version_update(actor=city.lx_editor, version=v, guide={"variants": variants})
    layout = MaterialSpec.objects.get(version=v, code="layout")
    assert layout.variant is not None and layout.variant.name == "首次申请（新）"
    with pytest.raises(ValidationFailed) as err:
        services.item_version_update(
            actor=city.lx_editor, version=v, guide={"variants": [{"code": "renew", "name": "延续"}]}
        )
    assert "所属的办理项 first 不存在" in err.value.message
    _audit_clean()


def test_entry_versions_need_the_dual_review(catalog_city):
    """R3.5: a general-catalogue change is a written request, reviewed by the
    centre and by the legal reviewer, then published; the old version is kept."""
    city = catalog_city
    entry = publish_entry(city)
    first = entry.current
    with pytest.raises(ValidationFailed):
        services.catalog_entry_revise(actor=city.city_editor, entry=entry, reason="", name="X")
    ev = services.catalog_entry_revise(
        actor=city.city_editor, entry=entry, reason="法规修订", legal_basis=[{"title": "新条例"}]
    )
    with pytest.raises(Conflict) as err:
        services.catalog_entry_revise(actor=city.city_editor, entry=entry, reason="再改")
    assert err.value.code == "draft_exists"
    with pytest.raises(PermissionDenied):
        services.catalog_entry_version_submit(actor=city.lx_editor, version=ev)
    ev = services.catalog_entry_version_submit(actor=city.city_editor, version=ev)
    with pytest.raises(PermissionDenied):
        services.catalog_entry_version_review(actor=city.lx_admin, version=ev, approve=True)
    with pytest.raises(Conflict):
        services.catalog_entry_version_legal_review(actor=city.legal, version=ev, approve=True)
    ev = services.catalog_entry_version_review(actor=city.city_admin, version=ev, approve=True)
    assert ev.status == VersionStatus.LEGAL_REVIEW
    with pytest.raises(PermissionDenied):
        services.catalog_entry_version_legal_review(actor=city.city_admin, version=ev, approve=True)
    ev = services.catalog_entry_version_legal_review(
        actor=city.legal, version=ev, approve=False, note="依据名称不完整"
    )
    assert ev.status == VersionStatus.REJECTED
    ev = services.catalog_entry_version_update(
        actor=city.city_editor, version=ev, legal_basis=[{"title": "江苏省食品小作坊管理条例"}]
    )
    ev = services.catalog_entry_version_submit(actor=city.city_editor, version=ev)
    ev = services.catalog_entry_version_review(actor=city.city_admin, version=ev, approve=True)
    ev = services.catalog_entry_version_legal_review(actor=city.legal, version=ev, approve=True)
    ev = services.catalog_entry_version_publish(actor=city.city_admin, version=ev)
    first = CatalogEntryVersion.objects.get(pk=first.pk)
    assert first.status == VersionStatus.SUPERSEDED and first.valid_to == ev.valid_from
    entry.refresh_from_db()
    assert entry.current_id == ev.pk
    _audit_clean()


_text = (
    st.text(
        alphabet=st.sampled_from("食品经营许可申请人材料abcXYZ0123 ，。"), min_size=1, max_size=30
    )
    .map(str.strip)
    .filter(bool)
)
_code = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)


@st.composite
def guides(draw):
    variant_codes = draw(st.lists(_code, min_size=1, max_size=3, unique=True))
    variants = [{"code": c, "name": draw(_text), "form_schema": {}} for c in variant_codes]
    materials = []
    for i in range(draw(st.integers(0, 4))):
        m = {
            "code": f"m{i}",
            "name": draw(_text),
            "kind": draw(st.sampled_from(["certificate", "form", "other"])),
            "form": draw(st.sampled_from(["paper", "electronic", "both"])),
            "necessity": draw(st.sampled_from(["required", "optional", "deferrable"])),
            "copies": draw(st.integers(0, 5)),
            "page_format": "",
            "source": draw(st.sampled_from(["applicant", "government", "other"])),
            "source_note": "",
            "acceptance_standard": draw(st.sampled_from(["", "原件"])),
            "legal_basis": "",
            "filling_notes": "",
            "certificate_type_code": draw(st.sampled_from(["", "C001"])),
        }
        if draw(st.booleans()):
            m["variant"] = draw(st.sampled_from(variant_codes))
        materials.append(m)
    statutory = draw(st.none() | st.integers(0, 60))
    promised = draw(st.none() | st.integers(0, statutory if statutory is not None else 60))
    steps = [
        {
            "code": f"s{i}",
            "name": draw(_text),
            "role_code": "clerk",
            "time_limit": draw(st.integers(0, promised if promised is not None else 10)),
            "time_unit": "working_days",
            "is_special": False,
            "description": "",
        }
        for i in range(draw(st.integers(0, 3)))
    ]
    charges = draw(st.booleans())
    fees = (
        [
            {
                "name": draw(_text),
                "standard": "10元",
                "legal_basis": "依据",
                "reducible": False,
                "reduction_note": "",
            }
        ]
        if charges
        else []
    )
    return full_guide(
        audience=draw(st.sampled_from(["person", "entity", "both"])),
        handling_kind=draw(st.sampled_from(["immediate", "promised"])),
        acceptance_conditions=draw(_text),
        statutory_limit=statutory,
        promised_limit=promised,
        charges_fee=charges,
        online=True,
        online_depth=draw(st.integers(0, 4)),
        onsite_trips=draw(st.integers(0, 3)),
        delivery_ways=draw(
            st.lists(st.sampled_from(["window", "mail", "electronic"]), unique=True)
        ),
        variants=variants,
        materials=materials,
        steps=steps,
        fees=fees,
        faqs=[{"question": draw(_text), "answer": draw(_text)}],
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=guides())
def test_guide_doc_round_trips(catalog_city, doc):
    """R3.4: guide_doc_of(create(doc)) gives the document back, and updating a
    version with its own document changes nothing."""
    city = catalog_city
    entry = publish_entry(city)
    v = services.service_item_create(
        actor=city.lx_editor, entry=entry, agency=city.lx_scj, division=city.lx, guide=doc
    )
    out = selectors.guide_doc_of(v)
    expected = dict(doc)
    expected["delivery_ways"] = [
        w for w in ("window", "mail", "electronic") if w in doc["delivery_ways"]
    ]
    assert out == expected
    same = services.item_version_update(actor=city.lx_editor, version=v, guide=out)
    assert selectors.guide_doc_of(same) == out
