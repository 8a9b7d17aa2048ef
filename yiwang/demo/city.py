"""The demo city: 无锡市 with its districts, a few towns and villages, the
agencies of the city and district level, service centres, halls and windows,
and staff with roles (R1.3, R2.1, R2.2, R2.4).

Division codes are the real GB/T 2260 codes; towns and villages carry the
real 12-digit statistical codes of the National Bureau of Statistics
(澄江街道 320281001000, 华士镇 320281107000 and its 华西二村 320281107202,
锡山区东港镇 320205106000 with 港下社区 320205106002, 朝阳村 320205106201 and
港东村 320205106209). Credit codes and ID numbers are generated with valid
check characters; they belong to no real body or person.

Everything goes through the orgs services as the platform itself, so each
row is audited. Loading is idempotent: what exists (by code, credit code,
login name …) is skipped.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from yiwang.core.actors import SYSTEM
from yiwang.core.checkdigits import make_credit_code, make_resident_id
from yiwang.demo import DEMO_PASSWORD
from yiwang.domains.orgs.models import (
    Agency,
    AgencyKind,
    ChangeKind,
    Division,
    Hall,
    HallLevel,
    Role,
    ServiceCentre,
    Staff,
    StaffChangeRequest,
    Window,
    WindowKind,
)
from yiwang.domains.orgs.services import (
    agency_create,
    division_create,
    hall_create,
    roles_sync_defaults,
    service_centre_create,
    staff_bootstrap,
    staff_change_apply,
    staff_change_approve,
    staff_change_request,
    window_create,
)

# (code, name, level, parent code)
DIVISIONS: list[tuple[str, str, str, str | None]] = [
    ("320000", "江苏省", "province", None),
    ("320200", "无锡市", "city", "320000"),
    ("320205", "锡山区", "county", "320200"),
    ("320206", "惠山区", "county", "320200"),
    ("320211", "滨湖区", "county", "320200"),
    ("320213", "梁溪区", "county", "320200"),
    ("320214", "新吴区", "county", "320200"),
    ("320281", "江阴市", "county", "320200"),
    ("320282", "宜兴市", "county", "320200"),
    ("320281001000", "澄江街道", "town", "320281"),
    ("320281107000", "华士镇", "town", "320281"),
    ("320281107202", "华西二村", "village", "320281107000"),
    ("320205106000", "东港镇", "town", "320205"),
    ("320205106002", "港下社区", "village", "320205106000"),
    ("320205106201", "朝阳村", "village", "320205106000"),
    ("320205106209", "港东村", "village", "320205106000"),
]

DISTRICTS = {
    "320205": "锡山区",
    "320206": "惠山区",
    "320211": "滨湖区",
    "320213": "梁溪区",
    "320214": "新吴区",
    "320281": "江阴市",
    "320282": "宜兴市",
}


def _full(name: str) -> str:
    """Districts are named with their city (无锡市梁溪区); county-level cities
    stand on their own (江阴市)."""
    return name if name.endswith("市") else f"无锡市{name}"


# (key, name, short name, kind, division code, organisation serial, parent key)
_CITY = "320200"
AGENCIES: list[tuple[str, str, str, str, str, int, str | None]] = [
    ("wx_zwb", "无锡市政务服务管理办公室", "市政务办", "management", _CITY, 46600101, None),
    ("wx_spj", "无锡市行政审批局", "市行政审批局", "department", _CITY, 46600102, None),
    ("wx_scj", "无锡市市场监督管理局", "市市场监管局", "department", _CITY, 46600103, None),
    ("wx_gaj", "无锡市公安局", "市公安局", "department", _CITY, 46600104, None),
    ("wx_zrzy", "无锡市自然资源和规划局", "市自然资源规划局", "department", _CITY, 46600105, None),
    ("wx_wjw", "无锡市卫生健康委员会", "市卫健委", "department", _CITY, 46600106, None),
    ("wx_rsj", "无锡市人力资源和社会保障局", "市人社局", "department", _CITY, 46600107, None),
    ("wx_zjj", "无锡市住房和城乡建设局", "市住建局", "department", _CITY, 46600108, None),
    ("wx_jtj", "无锡市交通运输局", "市交通运输局", "department", _CITY, 46600109, None),
    ("wx_sthj", "无锡市生态环境局", "市生态环境局", "department", _CITY, 46600110, None),
    ("wx_mzj", "无锡市民政局", "市民政局", "department", _CITY, 46600111, None),
    ("wx_jyj", "无锡市教育局", "市教育局", "department", _CITY, 46600112, None),
    ("wx_swj", "国家税务总局无锡市税务局", "市税务局", "department", _CITY, 46600113, None),
    ("wx_ybj", "无锡市医疗保障局", "市医保局", "department", _CITY, 46600114, None),
    ("wx_gjj", "无锡市住房公积金管理中心", "市公积金中心", "delegated", _CITY, 46600115, None),
    (
        "wx_power",
        "国网江苏省电力有限公司无锡供电分公司",
        "无锡供电公司",
        "enterprise",
        _CITY,
        13600201,
        None,
    ),
    ("wx_water", "无锡市水务集团有限公司", "无锡水务集团", "enterprise", _CITY, 13600202, None),
    # District level: a management office for each district's centre.
    *[
        (
            f"d{code}_zwb",
            f"{_full(name)}政务服务管理办公室",
            f"{name}政务办",
            "management",
            code,
            46610000 + i,
            None,
        )
        for i, (code, name) in enumerate(DISTRICTS.items(), start=1)
    ],
    (
        "lx_scj",
        "无锡市梁溪区市场监督管理局",
        "梁溪区市场监管局",
        "department",
        "320213",
        46620101,
        None,
    ),
    ("lx_gafj", "无锡市公安局梁溪分局", "梁溪公安分局", "department", "320213", 46620102, "wx_gaj"),
    ("lx_mzj", "无锡市梁溪区民政局", "梁溪区民政局", "department", "320213", 46620103, None),
    ("jy_scj", "江阴市市场监督管理局", "江阴市市场监管局", "department", "320281", 46630101, None),
    ("jy_gaj", "江阴市公安局", "江阴市公安局", "department", "320281", 46630102, None),
    (
        "jy_rsj",
        "江阴市人力资源和社会保障局",
        "江阴市人社局",
        "department",
        "320281",
        46630103,
        None,
    ),
    (
        "xs_rsj",
        "无锡市锡山区人力资源和社会保障局",
        "锡山区人社局",
        "department",
        "320205",
        46640101,
        None,
    ),
    ("yx_mzj", "宜兴市民政局", "宜兴市民政局", "department", "320282", 46650101, None),
    ("hs_gov", "江阴市华士镇人民政府", "华士镇政府", "department", "320281", 46630201, None),
]

# (division code, centre name, management agency key)
CENTRES: list[tuple[str, str, str]] = [
    (_CITY, "无锡市政务服务中心", "wx_zwb"),
    *[(code, f"{name}政务服务中心", f"d{code}_zwb") for code, name in DISTRICTS.items()],
]

# (key, centre division, hall division, name, level, address, phone)
HALLS: list[tuple[str, str, str, str, str, str, str]] = [
    (
        "wx_hall",
        _CITY,
        _CITY,
        "无锡市民中心政务服务大厅",
        HallLevel.HALL,
        "无锡市经开区观山路199号",
        "12345",
    ),
    (
        "lx_hall",
        "320213",
        "320213",
        "梁溪区政务服务中心大厅",
        HallLevel.HALL,
        "无锡市梁溪区",
        "12345",
    ),
    (
        "jy_hall",
        "320281",
        "320281",
        "江阴市政务服务中心大厅",
        HallLevel.HALL,
        "江阴市澄江街道",
        "12345",
    ),
    (
        "xs_hall",
        "320205",
        "320205",
        "锡山区政务服务中心大厅",
        HallLevel.HALL,
        "无锡市锡山区东亭街道",
        "12345",
    ),
    (
        "hs_centre",
        "320281",
        "320281107000",
        "华士镇便民服务中心",
        HallLevel.TOWN_CENTRE,
        "江阴市华士镇",
        "",
    ),
    (
        "hx2_room",
        "320281",
        "320281107202",
        "华西二村便民服务室",
        HallLevel.VILLAGE_ROOM,
        "江阴市华士镇华西二村",
        "",
    ),
    (
        "dg_centre",
        "320205",
        "320205106000",
        "东港镇便民服务中心",
        HallLevel.TOWN_CENTRE,
        "无锡市锡山区东港镇",
        "",
    ),
    (
        "gx_station",
        "320205",
        "320205106002",
        "港下社区便民服务站",
        HallLevel.VILLAGE_STATION,
        "无锡市锡山区东港镇港下社区",
        "",
    ),
]

# (hall key, number, name, kind, agency keys)
WINDOWS: list[tuple[str, str, str, str, list[str]]] = [
    (
        "wx_hall",
        "01",
        "综合受理窗口",
        WindowKind.COMPREHENSIVE,
        ["wx_spj", "wx_scj", "wx_wjw", "wx_jtj", "wx_sthj", "wx_mzj", "wx_jyj"],
    ),
    ("wx_hall", "02", "企业开办专窗", WindowKind.SPECIALISED, ["wx_scj", "wx_swj", "wx_gaj"]),
    ("wx_hall", "03", "不动产登记窗口", WindowKind.SPECIALISED, ["wx_zrzy", "wx_zjj", "wx_swj"]),
    ("wx_hall", "04", "公安综合窗口", WindowKind.AGENCY, ["wx_gaj"]),
    ("wx_hall", "05", "社保医保窗口", WindowKind.AGENCY, ["wx_rsj", "wx_ybj", "wx_gjj"]),
    ("wx_hall", "06", "水电气报装窗口", WindowKind.AGENCY, ["wx_power", "wx_water"]),
    ("wx_hall", "07", "跨域通办窗口", WindowKind.CROSS_REGION, ["wx_spj"]),
    ("wx_hall", "08", "“办不成事”反映窗口", WindowKind.NOT_DONE, ["wx_zwb"]),
    ("wx_hall", "09", "帮办代办窗口", WindowKind.ASSISTED, ["wx_zwb"]),
    ("lx_hall", "01", "综合受理窗口", WindowKind.COMPREHENSIVE, ["lx_scj", "lx_mzj"]),
    ("lx_hall", "02", "公安户政窗口", WindowKind.AGENCY, ["lx_gafj"]),
    ("lx_hall", "03", "“办不成事”反映窗口", WindowKind.NOT_DONE, ["d320213_zwb"]),
    ("jy_hall", "01", "综合受理窗口", WindowKind.COMPREHENSIVE, ["jy_scj", "jy_rsj"]),
    ("jy_hall", "02", "公安综合窗口", WindowKind.AGENCY, ["jy_gaj"]),
    ("xs_hall", "01", "综合受理窗口", WindowKind.COMPREHENSIVE, ["xs_rsj"]),
    ("hs_centre", "01", "综合服务窗口", WindowKind.COMPREHENSIVE, ["hs_gov", "jy_rsj"]),
    ("hs_centre", "02", "帮办代办窗口", WindowKind.ASSISTED, ["hs_gov"]),
    ("hx2_room", "01", "代办服务窗口", WindowKind.ASSISTED, ["hs_gov"]),
    ("dg_centre", "01", "综合服务窗口", WindowKind.COMPREHENSIVE, ["xs_rsj"]),
    ("gx_station", "01", "代办服务窗口", WindowKind.ASSISTED, ["xs_rsj"]),
]

# (login, name, agency key, title, roles, ID address code, birth date, sequence)
STAFF: list[tuple[str, str, str, str, list[str], str, dt.date, int]] = [
    (
        "wx_zwb_admin",
        "周文斌",
        "wx_zwb",
        "信息科科长",
        ["centre_admin", "unit_admin"],
        "320202",
        dt.date(1982, 3, 14),
        31,
    ),
    ("wx_zwb_head", "沈立群", "wx_zwb", "主任", ["unit_head"], "320203", dt.date(1975, 9, 2), 42),
    (
        "wx_zwb_jc",
        "陆静怡",
        "wx_zwb",
        "电子监察科科员",
        ["supervisor"],
        "320211",
        dt.date(1990, 6, 18),
        64,
    ),
    ("wx_scj_head", "钱国庆", "wx_scj", "局长", ["unit_head"], "320204", dt.date(1971, 10, 1), 15),
    (
        "wx_scj_admin",
        "顾晓燕",
        "wx_scj",
        "办公室主任",
        ["unit_admin"],
        "320213",
        dt.date(1986, 4, 26),
        28,
    ),
    (
        "wx_scj_clerk",
        "华志强",
        "wx_scj",
        "窗口受理员",
        ["clerk"],
        "320205",
        dt.date(1993, 12, 9),
        57,
    ),
    (
        "wx_scj_reviewer",
        "蒋文静",
        "wx_scj",
        "登记注册处科员",
        ["reviewer"],
        "320206",
        dt.date(1989, 2, 3),
        46,
    ),
    (
        "wx_scj_approver",
        "秦振华",
        "wx_scj",
        "登记注册处处长",
        ["approver"],
        "320211",
        dt.date(1978, 7, 21),
        33,
    ),
    ("wx_spj_head", "王建新", "wx_spj", "局长", ["unit_head"], "320202", dt.date(1973, 5, 30), 11),
    (
        "wx_spj_admin",
        "吴梦洁",
        "wx_spj",
        "综合处副处长",
        ["unit_admin"],
        "320214",
        dt.date(1988, 11, 11),
        22,
    ),
    ("wx_spj_clerk", "朱海峰", "wx_spj", "受理员", ["clerk"], "320213", dt.date(1995, 1, 17), 79),
    (
        "wx_spj_reviewer",
        "邹雨萱",
        "wx_spj",
        "审查员",
        ["reviewer"],
        "320282",
        dt.date(1991, 8, 5),
        84,
    ),
    (
        "wx_spj_approver",
        "许明远",
        "wx_spj",
        "审批处处长",
        ["approver"],
        "320281",
        dt.date(1976, 3, 8),
        53,
    ),
    (
        "wx_gaj_head",
        "陈卫东",
        "wx_gaj",
        "副局长（分管政务服务）",
        ["unit_head"],
        "320203",
        dt.date(1970, 12, 24),
        37,
    ),
    (
        "wx_gaj_admin",
        "孙佳琪",
        "wx_gaj",
        "政务服务科科长",
        ["unit_admin"],
        "320204",
        dt.date(1985, 9, 15),
        48,
    ),
    (
        "wx_gaj_clerk",
        "李浩然",
        "wx_gaj",
        "户政窗口民警",
        ["clerk"],
        "320211",
        dt.date(1992, 4, 4),
        91,
    ),
    (
        "lx_zwb_admin",
        "杨慧敏",
        "d320213_zwb",
        "信息科科长",
        ["centre_admin", "unit_admin"],
        "320213",
        dt.date(1987, 7, 7),
        26,
    ),
    (
        "lx_zwb_head",
        "张振宇",
        "d320213_zwb",
        "主任",
        ["unit_head"],
        "320213",
        dt.date(1974, 1, 19),
        13,
    ),
    (
        "jy_zwb_admin",
        "徐晓东",
        "d320281_zwb",
        "信息科科长",
        ["centre_admin", "unit_admin"],
        "320281",
        dt.date(1984, 10, 30),
        35,
    ),
    (
        "jy_zwb_head",
        "曹德明",
        "d320281_zwb",
        "主任",
        ["unit_head"],
        "320281",
        dt.date(1972, 6, 6),
        17,
    ),
    ("jy_scj_head", "缪建军", "jy_scj", "局长", ["unit_head"], "320281", dt.date(1975, 2, 14), 19),
    (
        "jy_scj_admin",
        "承丽娟",
        "jy_scj",
        "办公室主任",
        ["unit_admin"],
        "320281",
        dt.date(1987, 5, 20),
        68,
    ),
    (
        "jy_scj_clerk",
        "夏天宇",
        "jy_scj",
        "窗口受理员",
        ["clerk"],
        "320281",
        dt.date(1996, 9, 9),
        73,
    ),
    (
        "hs_agent",
        "黄秀英",
        "hs_gov",
        "便民服务中心代办员",
        ["clerk"],
        "320281",
        dt.date(1983, 8, 8),
        86,
    ),
]


def _phone_for(i: int) -> str:
    # 139 0510 xxxx: a made-up but well-formed mobile number per demo account.
    return f"1390510{i:04d}"


@transaction.atomic
def load_city() -> dict[str, Any]:
    """Create what is missing of the demo city; return what was created and
    the demo accounts (login, name, unit, roles)."""
    created: Counter[str] = Counter()
    roles_sync_defaults(actor=SYSTEM)

    divisions: dict[str, Division] = {d.code: d for d in Division.objects.all()}
    for code, name, level, parent in DIVISIONS:
        if code in divisions:
            continue
        divisions[code] = division_create(
            actor=SYSTEM,
            code=code,
            name=name,
            level=level,
            parent=divisions[parent] if parent else None,
        )
        created["divisions"] += 1

    agencies: dict[str, Agency] = {}
    for key, name, short, kind, div_code, serial, parent_key in AGENCIES:
        authority, body = ("9", "1") if kind == AgencyKind.ENTERPRISE else ("1", "1")
        if kind == AgencyKind.DELEGATED:
            body = "2"  # 事业单位
        credit = make_credit_code(authority, body, div_code[:6], serial)
        agency = Agency.objects.filter(credit_code=credit).first()
        if agency is None:
            agency = agency_create(
                actor=SYSTEM,
                name=name,
                short_name=short,
                kind=kind,
                credit_code=credit,
                division=divisions[div_code],
                parent=agencies[parent_key] if parent_key else None,
                phone="12345",
            )
            created["agencies"] += 1
        agencies[key] = agency

    centres: dict[str, ServiceCentre] = {}
    for div_code, name, agency_key in CENTRES:
        centre = ServiceCentre.objects.filter(division=divisions[div_code]).first()
        if centre is None:
            centre = service_centre_create(
                actor=SYSTEM, division=divisions[div_code], agency=agencies[agency_key], name=name
            )
            created["centres"] += 1
        centres[div_code] = centre

    halls: dict[str, Hall] = {}
    for key, centre_code, div_code, name, level, address, phone in HALLS:
        hall = Hall.objects.filter(division=divisions[div_code], name=name).first()
        if hall is None:
            hall = hall_create(
                actor=SYSTEM,
                centre=centres[centre_code],
                division=divisions[div_code],
                name=name,
                level=level,
                address=address,
                phone=phone,
                hours="周一至周五 9:00-12:00，13:30-17:00（法定节假日除外）",
            )
            created["halls"] += 1
        halls[key] = hall

    for hall_key, number, name, kind, agency_keys in WINDOWS:
        if Window.objects.filter(hall=halls[hall_key], number=number).exists():
            continue
        window_create(
            actor=SYSTEM,
            hall=halls[hall_key],
            number=number,
            name=name,
            kind=kind,
            agencies=[agencies[k] for k in agency_keys],
        )
        created["windows"] += 1

    role_names = dict(Role.objects.values_list("code", "name"))
    password_hash: str | None = None
    staff: dict[str, Staff] = {}
    accounts: list[dict[str, str]] = []
    for i, (login, name, agency_key, title, roles, addr, born, seq) in enumerate(STAFF, 1):
        member = Staff.objects.filter(user__username=login).first()
        if member is None:
            # One shared demo password, hashed once: hashing is slow by design.
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            member = staff_bootstrap(
                actor=SYSTEM,
                agency=agencies[agency_key],
                name=name,
                id_number=make_resident_id(addr, born, seq),
                login_name=login,
                password_hash=password_hash,
                phone=_phone_for(i),
                title=title,
                roles=roles,
            )
            created["staff"] += 1
        staff[login] = member
        accounts.append(
            {
                "login": login,
                "name": name,
                "unit": agencies[agency_key].name,
                "roles": "、".join(role_names.get(r, r) for r in roles),
            }
        )

    created["requests"] += _demo_requests(staff, agencies)
    return {
        "created": {k: v for k, v in created.items() if v},
        "accounts": accounts,
        "password": DEMO_PASSWORD,
    }


def _demo_requests(staff: dict[str, Staff], agencies: dict[str, Agency]) -> int:
    """A few staff change requests in each state, so the console's request
    lists are not empty: one waiting for the head, one approved and waiting
    for the administrator, one applied and filed with the city centre."""
    made = 0
    scj = agencies["wx_scj"]
    reason = "演示：窗口受理员兼任审查岗位，申请增加审查人员角色"
    if not StaffChangeRequest.objects.filter(agency=scj, reason=reason).exists():
        staff_change_request(
            actor=staff["wx_scj_admin"],
            agency=scj,
            kind=ChangeKind.GRANT_ROLE,
            target=staff["wx_scj_clerk"],
            data={"role": "reviewer"},
            reason=reason,
        )
        made += 1
    reason = "演示：岗位调整，更新职务"
    if not StaffChangeRequest.objects.filter(agency=scj, reason=reason).exists():
        req = staff_change_request(
            actor=staff["wx_scj_admin"],
            agency=scj,
            kind=ChangeKind.UPDATE_STAFF,
            target=staff["wx_scj_reviewer"],
            data={"title": "登记注册处副科长"},
            reason=reason,
        )
        staff_change_approve(actor=staff["wx_scj_head"], request=req, note="同意")
        made += 1
    spj = agencies["wx_spj"]
    reason = "演示：新招录窗口受理人员"
    if not StaffChangeRequest.objects.filter(agency=spj, reason=reason).exists():
        req = staff_change_request(
            actor=staff["wx_spj_admin"],
            agency=spj,
            kind=ChangeKind.CREATE_STAFF,
            data={
                "name": "钱雨桐",
                "id_number": make_resident_id("320214", dt.date(1998, 3, 3), 62),
                "phone": _phone_for(99),
                "title": "受理员",
                "login_name": "wx_spj_clerk2",
                "password": DEMO_PASSWORD,
                "roles": ["clerk"],
            },
            reason=reason,
        )
        staff_change_approve(actor=staff["wx_spj_head"], request=req, note="同意招录")
        staff_change_apply(actor=staff["wx_spj_admin"], request=req)
        made += 1
    return made
