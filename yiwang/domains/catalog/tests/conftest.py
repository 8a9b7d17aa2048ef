"""A small real city for the catalogue tests, built through the services (no
factories that bypass the rules). Other suites may import these names:

    from yiwang.domains.catalog.tests.conftest import (
        catalog_city, published_item, full_guide, publish_item, publish_entry,
    )

Divisions and centres::

    江苏省 320000
      无锡市 320200 ─ 无锡市政务服务中心 (city_office; city_admin)
        梁溪区 320213 ─ 梁溪区政务服务中心 (lx_office; lx_admin)
        滨湖区 320211 ─ 滨湖区政务服务中心 (bh_office; bh_admin)
        江阴市 320281 (no centre: the city's centre reviews)
          华士镇 320281107000

Agencies with a catalogue editor each: city_scj 无锡市市场监督管理局
(city_editor), city_gaj 无锡市公安局 (gaj_editor), lx_scj (lx_editor),
bh_scj (bh_editor), jy_scj (jy_editor); city_sfj 无锡市司法局 holds the legal
reviewer (legal).
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from typing import Any

import pytest

from yiwang.core.actors import SYSTEM
from yiwang.core.checkdigits import make_credit_code, make_resident_id
from yiwang.domains.catalog import services
from yiwang.domains.catalog.guide import GuideDoc
from yiwang.domains.catalog.models import CatalogEntry, ServiceItem
from yiwang.domains.orgs.models import Agency, Division, Staff
from yiwang.domains.orgs.services import (
    agency_create,
    division_create,
    roles_sync_defaults,
    service_centre_create,
    staff_bootstrap,
)

PASSWORD = "Yiwang@2026"
_serial = itertools.count(81000001)
_people = itertools.count(301)
_basic = itertools.count(1)


class City(dict):
    """A dict whose keys read as attributes too: ``city["lx"]`` or ``city.lx``."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


_last_city: list[City] = []


def credit(division6: str) -> str:
    return make_credit_code("1", "1", division6, next(_serial))


def make_agency(division: Division, name: str, kind: str = "department") -> Agency:
    return agency_create(
        actor=SYSTEM, name=name, kind=kind, credit_code=credit(division.code[:6]), division=division
    )


def make_staff(agency: Agency, login: str, roles: list[str], name: str) -> Staff:
    return staff_bootstrap(
        actor=SYSTEM,
        agency=agency,
        name=name,
        id_number=make_resident_id("320213", dt.date(1986, 6, 6), next(_people)),
        login_name=login,
        password=PASSWORD,
        phone="13905101234",
        roles=roles,
    )


def fresh(staff: Staff) -> Staff:
    """The same staff member read again, so no cached grants hide a change."""
    return Staff.objects.get(pk=staff.pk)


def build_catalog_city() -> City:
    roles_sync_defaults(actor=SYSTEM)
    services.item_types_sync_defaults(actor=SYSTEM)
    services.tags_sync_defaults(actor=SYSTEM)
    province = division_create(actor=SYSTEM, code="320000", name="江苏省", level="province")
    city = division_create(
        actor=SYSTEM, code="320200", name="无锡市", level="city", parent=province
    )
    lx = division_create(actor=SYSTEM, code="320213", name="梁溪区", level="county", parent=city)
    bh = division_create(actor=SYSTEM, code="320211", name="滨湖区", level="county", parent=city)
    jy = division_create(actor=SYSTEM, code="320281", name="江阴市", level="county", parent=city)
    town = division_create(
        actor=SYSTEM, code="320281107000", name="华士镇", level="town", parent=jy
    )
    c = City(province=province, city=city, lx=lx, bh=bh, jy=jy, town=town)
    for key, division, name in (
        ("city", city, "无锡市"),
        ("lx", lx, "梁溪区"),
        ("bh", bh, "滨湖区"),
    ):
        office = make_agency(division, f"{name}政务服务管理办公室", "management")
        c[f"{key}_office"] = office
        c[f"{key}_centre"] = service_centre_create(
            actor=SYSTEM, division=division, agency=office, name=f"{name}政务服务中心"
        )
    c["city_scj"] = make_agency(city, "无锡市市场监督管理局")
    c["city_gaj"] = make_agency(city, "无锡市公安局")
    c["city_sfj"] = make_agency(city, "无锡市司法局")
    c["lx_scj"] = make_agency(lx, "无锡市梁溪区市场监督管理局")
    c["bh_scj"] = make_agency(bh, "无锡市滨湖区市场监督管理局")
    c["jy_scj"] = make_agency(jy, "江阴市市场监督管理局")
    c["city_editor"] = make_staff(c.city_scj, "cat_city_editor", ["catalog_editor"], "沈文华")
    c["gaj_editor"] = make_staff(c.city_gaj, "cat_gaj_editor", ["catalog_editor"], "许建国")
    c["lx_editor"] = make_staff(c.lx_scj, "cat_lx_editor", ["catalog_editor"], "陆小琴")
    c["bh_editor"] = make_staff(c.bh_scj, "cat_bh_editor", ["catalog_editor"], "蒋立新")
    c["jy_editor"] = make_staff(c.jy_scj, "cat_jy_editor", ["catalog_editor"], "缪春燕")
    c["city_admin"] = make_staff(c.city_office, "cat_city_admin", ["centre_admin"], "周文斌")
    c["lx_admin"] = make_staff(c.lx_office, "cat_lx_admin", ["centre_admin"], "杨慧敏")
    c["bh_admin"] = make_staff(c.bh_office, "cat_bh_admin", ["centre_admin"], "华永康")
    c["legal"] = make_staff(c.city_sfj, "cat_legal", ["legal_reviewer"], "邹法明")
    c["editors"] = {
        c.city_scj.pk: c.city_editor,
        c.city_gaj.pk: c.gaj_editor,
        c.lx_scj.pk: c.lx_editor,
        c.bh_scj.pk: c.bh_editor,
        c.jy_scj.pk: c.jy_editor,
    }
    # The centre admin who reviews a division's items: the nearest centre up.
    c["centre_admins"] = {
        city.pk: c.city_admin,
        lx.pk: c.lx_admin,
        bh.pk: c.bh_admin,
        jy.pk: c.city_admin,
        town.pk: c.city_admin,
        province.pk: SYSTEM,
    }
    _last_city[:] = [c]
    return c


@pytest.fixture
def catalog_city(db: Any) -> City:
    return build_catalog_city()


def full_guide(**overrides: Any) -> GuideDoc:
    """A complete guide (every R3.4 element) of a food-business licence;
    keyword arguments replace elements."""
    doc: dict[str, Any] = {
        "audience": "both",
        "handling_kind": "promised",
        "power_source": "法定本级行使",
        "exercise_level": "county",
        "entrusted_body": "",
        "co_agencies": "",
        "general_area": "全市通办",
        "quantity_limit": "无数量限制",
        "acceptance_conditions": (
            "申请人具有与经营的食品品种、数量相适应的经营场所；有食品安全管理人员和管理制度。"
        ),
        "process_description": "申请 → 受理 → 审查 → 决定 → 制证 → 送达",
        "statutory_limit": 20,
        "statutory_unit": "working_days",
        "statutory_note": "《中华人民共和国行政许可法》第四十二条",
        "promised_limit": 5,
        "promised_unit": "working_days",
        "promised_note": "材料齐全、符合法定形式的，5个工作日内办结",
        "charges_fee": False,
        "result_name": "食品经营许可证",
        "result_type": "证照",
        "delivery_ways": ["window", "mail", "electronic"],
        "address": "无锡市梁溪区解放南路711号政务服务中心二楼",
        "hours": "周一至周五 上午9:00-12:00，下午13:30-17:00（法定节假日除外）",
        "consult_phone": "0510-12345",
        "complaint_phone": "12345",
        "rights_obligations": (
            "申请人依法享有知情权、陈述权和申辩权；应如实提交材料并对真实性负责。"
        ),
        "legal_remedy": "对许可决定不服的，可依法申请行政复议或提起行政诉讼。",
        "online": True,
        "online_depth": 4,
        "onsite_trips": 0,
        "mobile_url": "https://m.example.gov.cn/item/spjyxk",
        "appointment": True,
        "online_payment": False,
        "express_delivery": True,
        "enters_centre": True,
        "service_content": "",
        "management_requirements": "",
        "window_ids": [],
        "variants": [
            {
                "code": "first",
                "name": "首次申请",
                "form_schema": {
                    "type": "object",
                    "properties": {
                        "applicant_name": {"type": "string", "title": "申请人名称"},
                        "address": {"type": "string", "title": "经营场所"},
                        "area": {"type": "number", "title": "经营面积（平方米）"},
                    },
                    "required": ["applicant_name", "address"],
                },
            },
            {
                "code": "change",
                "name": "变更",
                "form_schema": {
                    "type": "object",
                    "properties": {"licence_no": {"type": "string", "title": "许可证编号"}},
                    "required": ["licence_no"],
                },
            },
        ],
        "materials": [
            {
                "code": "application",
                "name": "食品经营许可申请书",
                "kind": "form",
                "form": "electronic",
                "necessity": "required",
                "copies": 1,
                "source": "applicant",
                "acceptance_standard": "内容完整、签字盖章",
            },
            {
                "code": "licence",
                "name": "营业执照",
                "kind": "certificate",
                "form": "electronic",
                "necessity": "required",
                "copies": 1,
                "source": "government",
                "source_note": "市场监督管理部门核发",
                "certificate_type_code": "11100000000013338W011",
            },
            {
                "code": "layout",
                "name": "经营场所平面布局图",
                "kind": "other",
                "form": "both",
                "necessity": "deferrable",
                "copies": 1,
                "source": "applicant",
                "variant": "first",
            },
        ],
        "steps": [
            {"code": "accept", "name": "受理", "role_code": "clerk", "time_limit": 1},
            {"code": "review", "name": "审查", "role_code": "reviewer", "time_limit": 2},
            {
                "code": "inspect",
                "name": "现场核查",
                "role_code": "reviewer",
                "time_limit": 10,
                "is_special": True,
            },
            {"code": "decide", "name": "决定", "role_code": "approver", "time_limit": 1},
            {"code": "deliver", "name": "送达", "role_code": "clerk", "time_limit": 1},
        ],
        "fees": [],
        "faqs": [
            {"question": "可以网上申请吗？", "answer": "可以，全程网上办理。"},
        ],
    }
    doc.update(copy.deepcopy(overrides))
    return doc  # type: ignore[return-value]


def _city(city: City | None) -> City:
    if city is not None:
        return city
    if not _last_city:
        raise RuntimeError("build the catalog_city fixture first (or pass city=)")
    return _last_city[0]


def publish_entry(
    city: City | None = None,
    *,
    name: str = "食品经营许可",
    basic_code: str | None = None,
    item_type_code: str = "01",
    owner: Agency | None = None,
    legal_basis: list[dict[str, str]] | None = None,
    exercise_levels: list[str] | None = None,
) -> CatalogEntry:
    """A basic-catalogue entry taken through create → submit → centre review →
    legal review → publish by the city's staff."""
    c = _city(city)
    owner = owner or c.city_scj
    editor = c.editors.get(owner.pk, SYSTEM)
    v = services.catalog_entry_create(
        actor=editor,
        basic_code=basic_code or f"B{next(_basic):011d}",
        owner=owner,
        name=name,
        item_type_code=item_type_code,
        legal_basis=legal_basis
        if legal_basis is not None
        else [{"title": "中华人民共和国食品安全法", "article": "第三十五条"}],
        exercise_levels=exercise_levels or ["city", "county", "town"],
    )
    v = services.catalog_entry_version_submit(actor=editor, version=v)
    v = services.catalog_entry_version_review(actor=c.city_admin, version=v, approve=True)
    v = services.catalog_entry_version_legal_review(actor=c.legal, version=v, approve=True)
    v = services.catalog_entry_version_publish(actor=c.city_admin, version=v)
    return CatalogEntry.objects.get(pk=v.entry_id)


def publish_item(
    *,
    guide: GuideDoc | None = None,
    city: City | None = None,
    entry: CatalogEntry | None = None,
    agency: Agency | None = None,
    division: Division | None = None,
    name: str = "食品经营许可",
    is_convenience: bool = False,
    tags: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    implementation_code: str | None = None,
) -> ServiceItem:
    """A service item taken through create → submit → review → publish by
    the staff of ``city`` (the last catalog_city built when not given).
    Defaults: 梁溪区市场监督管理局 in 梁溪区, a new published entry, full_guide()."""
    c = _city(city)
    agency = agency or c.lx_scj
    division = division or Division.objects.get(pk=agency.division_id)
    entry = entry or publish_entry(c, name=name)
    editor = c.editors.get(agency.pk, SYSTEM)
    admin = c.centre_admins.get(division.pk, SYSTEM)
    v = services.service_item_create(
        actor=editor,
        entry=entry,
        agency=agency,
        division=division,
        guide=guide if guide is not None else full_guide(),
        implementation_code=implementation_code,
        is_convenience=is_convenience,
        tags=tags,
        topics=topics,
    )
    v = services.item_version_submit(actor=editor, version=v)
    v = services.item_version_review(actor=admin, version=v, approve=True)
    v = services.item_version_publish(actor=admin, version=v)
    return ServiceItem.objects.get(pk=v.item_id)


@pytest.fixture
def published_item(catalog_city: City) -> ServiceItem:
    """食品经营许可 of 梁溪区市场监督管理局, published with full_guide()."""
    return publish_item(city=catalog_city)
