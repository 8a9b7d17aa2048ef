"""The demo catalogue of 无锡市 as plain data (no Django): catalogue entries
with their implementations and complete guides, split by department, plus
the portal's topics, the bundles (一件事) and the few bodies the demo city
does not list.

``guide_for(entry, impl)`` composes the full GuideDoc of one implementation:
the item's own elements, the place of the implementing agency (hall, windows,
hours, consultation and complaint numbers), the legal remedy of that agency,
and the defaults every guide here shares. The loader (yiwang.demo.catalog)
resolves window numbers to window ids and writes everything through the
catalogue services.
"""

from __future__ import annotations

import copy
from typing import Any

from yiwang.demo.catalog_data import (
    civil_affairs,
    convenience,
    ecology,
    education,
    health,
    housing,
    hrss,
    market,
    medical_insurance,
    natural_resources,
    other_bodies,
    public_security,
    tax,
    transport,
    urban,
    utilities,
)
from yiwang.demo.catalog_data.common import (
    RIGHTS_GENERAL,
    RIGHTS_PERMIT,
    place_of,
    remedy,
)
from yiwang.demo.city import DIVISIONS

MODULES = (
    market,
    public_security,
    health,
    hrss,
    medical_insurance,
    housing,
    natural_resources,
    transport,
    ecology,
    civil_affairs,
    education,
    tax,
    urban,
    other_bodies,
    utilities,
    convenience,
)

# Main items first, so a sub-item's parent exists when it is created.
ENTRIES: list[dict[str, Any]] = sorted(
    (e for m in MODULES for e in m.ENTRIES), key=lambda e: bool(e.get("parent"))
)
ENTRY_BY_KEY: dict[str, dict[str, Any]] = {e["key"]: e for e in ENTRIES}

# Bodies the demo city (yiwang.demo.city) does not list but real items need:
# (key, name, short name, kind, division code, authority, body type, serial).
SUPPLEMENTARY_AGENCIES: list[tuple[str, str, str, str, str, str, str, int]] = [
    ("wx_cgj", "无锡市城市管理局", "市城管局", "department", "320200", "1", "1", 46600116),
    ("wx_ycj", "无锡市烟草专卖局", "市烟草专卖局", "department", "320200", "1", "1", 46600117),
    ("wx_cl", "无锡市残疾人联合会", "市残联", "delegated", "320200", "1", "3", 46600118),
    ("wx_gas", "无锡华润燃气有限公司", "华润燃气", "enterprise", "320200", "9", "1", 13600203),
]
ENTERPRISES = {"wx_power", "wx_water", "wx_gas"}

# (kind, code, name, audience, order)
TOPICS: list[tuple[str, str, str, str, int]] = [
    ("life_event", "le_birth", "出生", "person", 1),
    ("life_event", "le_school", "上学", "person", 2),
    ("life_event", "le_job", "就业创业", "person", 3),
    ("life_event", "le_marriage", "婚育", "person", 4),
    ("life_event", "le_housing", "住房", "person", 5),
    ("life_event", "le_travel", "出行", "person", 6),
    ("life_event", "le_medical", "就医", "person", 7),
    ("life_event", "le_id", "户籍证件", "person", 8),
    ("life_event", "le_aid", "社会救助", "person", 9),
    ("life_event", "le_elderly", "养老", "person", 10),
    ("life_event", "le_death", "身后事", "person", 11),
    ("theme", "th_startup", "开办企业", "entity", 1),
    ("theme", "th_catering", "餐饮服务", "entity", 2),
    ("theme", "th_construction", "工程建设", "entity", 3),
    ("theme", "th_production", "生产经营", "entity", 4),
    ("theme", "th_transport", "交通运输", "entity", 5),
    ("theme", "th_health", "医疗卫生", "entity", 6),
    ("theme", "th_education", "教育培训", "entity", 7),
    ("theme", "th_environment", "生态环保", "entity", 8),
    ("theme", "th_tax", "税费办理", "entity", 9),
    ("theme", "th_utilities", "水电气报装", "both", 10),
    ("theme", "th_exit", "企业注销", "entity", 11),
]

# 一件事 (R6.5): code, name, division, lead agency, audience, promised limit,
# description, members as (entry key, division code of the implementation).
BUNDLES: list[dict[str, Any]] = [
    {
        "code": "320213-YJS-0001",
        "name": "开办餐饮店",
        "division": "320213",
        "lead": "lx_scj",
        "audience": "both",
        "promised_limit": 5,
        "description": (
            "开一家餐馆、小吃店、奶茶店“一件事”：一次申请，同时办理营业执照（个体工商户）、食品经营许可、"
            "城镇污水排入排水管网许可、户外招牌设置和燃气报装。由梁溪区市场监督管理局牵头，"
            "在梁溪区政务服务中心综合受理窗口一窗受理，5个工作日内全部办结。"
        ),
        "members": [
            ("sole_trader", "320213"),
            ("food_business", "320213"),
            ("drainage_permit", "320200"),
            ("outdoor_ad", "320200"),
            ("gas_connection", "320200"),
        ],
    },
    {
        "code": "320200-YJS-0002",
        "name": "新生儿出生",
        "division": "320200",
        "lead": "wx_wjw",
        "audience": "person",
        "promised_limit": 5,
        "description": (
            "宝宝出生“一件事”：父母一次申请，联办出生医学证明、户口登记、城乡居民医保参保登记和社会保障卡申领，"
            "户口簿和社保卡免费邮寄到家。由无锡市卫生健康委员会牵头，公安、医保、人社部门协同办理。"
        ),
        "members": [
            ("birth_certificate", "320200"),
            ("newborn_hukou", "320200"),
            ("resident_medical", "320200"),
            ("social_security_card", "320200"),
        ],
    },
    {
        "code": "320200-YJS-0003",
        "name": "企业开办",
        "division": "320200",
        "lead": "wx_scj",
        "audience": "entity",
        "promised_limit": 1,
        "description": (
            "企业开办“一件事”：通过企业开办全链通平台一表填报，一次办结营业执照、公章刻制、涉税信息确认和"
            "发票领用、单位社会保险登记、住房公积金单位缴存登记，全流程1个工作日内办结，首套印章免费刻制。"
        ),
        "members": [
            ("company_llc", "320200"),
            ("seal_filing", "320200"),
            ("new_taxpayer", "320200"),
            ("invoice", "320200"),
            ("employer_insurance", "320200"),
            ("housing_fund_employer", "320200"),
        ],
    },
]

# Items to suspend when they are first loaded (R4.3), by entry key.
SUSPENDED: dict[str, tuple[str, str]] = dict(education.SUSPENDED)

_POWER_TYPES = {"01", "05", "07", "08", "09", "20"}
_DIVISION_NAMES = {code: name for code, name, _level, _parent in DIVISIONS}
_CENTRE_HALLS = {"wx_hall", "lx_hall", "jy_hall", "xs_hall"}


def _level_label(code: str) -> str:
    if len(code) == 6:
        return "市级" if code.endswith("00") else "县级"
    return "乡镇（街道）级" if code.endswith("000") else "村（社区）级"


def _general_area(code: str) -> str:
    name = _DIVISION_NAMES.get(code, code)
    if code == "320200":
        return "无锡市全市通办"
    return f"{name}范围内"


def guide_for(entry: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """The complete GuideDoc (without window ids) of one implementation."""
    own = copy.deepcopy(entry["guide"])
    agency = spec["agency"]
    is_power = entry["item_type"] in _POWER_TYPES
    defaults: dict[str, Any] = {
        "handling_kind": "promised",
        "power_source": "法定本级行使" if is_power else "",
        "exercise_level": _level_label(spec["division"]),
        "general_area": _general_area(spec["division"]),
        "statutory_unit": "working_days",
        "promised_unit": "working_days",
        "result_type": "证照",
        "delivery_ways": ["window", "mail", "electronic"],
        "rights_obligations": RIGHTS_PERMIT if entry["item_type"] == "01" else RIGHTS_GENERAL,
        "legal_remedy": remedy(agency),
        "online": True,
        "online_depth": 3,
        "onsite_trips": 1,
        "appointment": True,
        "enters_centre": spec["hall"] in _CENTRE_HALLS or "政务服务" in (spec.get("address") or ""),
    }
    if entry.get("convenience"):
        for key in ("rights_obligations", "legal_remedy", "power_source", "result_type"):
            defaults.pop(key)
        defaults["delivery_ways"] = ["window"]
        defaults["online"] = False
        defaults["online_depth"] = 0
        defaults["appointment"] = False
        defaults["enters_centre"] = False
    guide = {**defaults, **own, **place_of(spec), **copy.deepcopy(spec["guide"])}
    guide.setdefault("charges_fee", bool(guide.get("fees")))
    guide.setdefault("online_payment", bool(guide["charges_fee"]) and guide["online"])
    guide.setdefault("express_delivery", "mail" in guide.get("delivery_ways", []))
    if not guide.get("process_description"):
        guide["process_description"] = "→".join(s["name"] for s in guide.get("steps", [])) + "。"
    return guide


def implementations() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Every (entry, implementation) pair in load order."""
    return [(e, spec) for e in ENTRIES for spec in e.get("impls", [])]
