"""Demo power and responsibility lists and sunshine lists of 无锡市 (R4.1–R4.7).

About twenty powers of the city's departments, each with its legal basis,
flowchart steps and responsibility items, put on the list the way the rules
require: requested by the department, reviewed by the reform office of the
city's 编办 (审改办), approved by the city government, then published. One
power is secret (listed, never published), one suspended, one delegated to
a district, one approved but not yet published and one without duties, so
the violations report has something to show; where the demo catalogue is
loaded, 食品经营许可 and 个体工商户设立登记 are linked to their catalogue
entries. There is one pending change request, a public comment waiting for
an answer and one answered. The sunshine lists hold the fiscal special
funds of 2025 and 2026 and a poverty-relief list.

Everything goes through the services, so every row is audited. Loading is
idempotent: what exists (by code, credit code, login, project) is skipped.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from yiwang.core.actors import SYSTEM, Actor
from yiwang.core.checkdigits import make_credit_code, make_resident_id
from yiwang.demo.city import AGENCIES, DEMO_PASSWORD
from yiwang.domains.catalog.models import (
    CatalogEntry,
    FundList,
    Power,
    PowerChangeKind,
    PowerChangeRequest,
    PowerChangeStatus,
    PowerComment,
    PowerStatus,
    ReliefList,
)
from yiwang.domains.catalog.powers import (
    PUBLIC,
    fund_list_create,
    fund_list_publish,
    power_change_decide,
    power_change_request,
    power_change_review,
    power_comment_reply,
    power_comment_submit,
    power_publish,
    relief_list_create,
    relief_list_publish,
)
from yiwang.domains.orgs.models import Agency, Division, Staff
from yiwang.domains.orgs.services import agency_create, staff_bootstrap

_CITY = "320200"

# (key, name, short name, organisation serial)
EXTRA_AGENCIES: list[tuple[str, str, str, int]] = [
    ("wx_bb", "中共无锡市委机构编制委员会办公室", "市委编办（审改办）", 46600131),
    ("wx_gov", "无锡市人民政府办公室", "市政府办", 46600132),
    ("wx_czj", "无锡市财政局", "市财政局", 46600133),
    ("wx_nyj", "无锡市农业农村局", "市农业农村局", 46600134),
]

# (login, name, agency key, title, roles, ID address code, birth date, sequence)
STAFF: list[tuple[str, str, str, str, list[str], str, dt.date, int]] = [
    (
        "wx_scj_power",
        "邵佳慧",
        "wx_scj",
        "法规处科员",
        ["power_editor"],
        "320202",
        dt.date(1991, 4, 12),
        128,
    ),
    (
        "wx_bb_reform",
        "严志刚",
        "wx_bb",
        "审改处处长",
        ["reform_office"],
        "320203",
        dt.date(1979, 8, 23),
        139,
    ),
    (
        "wx_gov_approver",
        "冯建国",
        "wx_gov",
        "副秘书长",
        ["gov_approver"],
        "320204",
        dt.date(1970, 11, 5),
        151,
    ),
    (
        "wx_czj_sunshine",
        "汤婉清",
        "wx_czj",
        "预算处科员",
        ["sunshine_editor"],
        "320205",
        dt.date(1992, 2, 29),
        162,
    ),
]


def _law(title: str, article: str, text: str = "") -> dict[str, str]:
    doc = {"title": title, "article": article}
    if text:
        doc["text"] = text
    return doc


def _steps(*rows: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"name": n, "actor_role": r, "time_limit": t} for n, r, t in rows]


LICENSING_STEPS = _steps(
    ("受理", "窗口受理人员", "即时"),
    ("审查", "承办人", "5个工作日"),
    ("决定", "分管负责人", "3个工作日"),
    ("送达", "窗口人员", "1个工作日"),
)
PENALTY_STEPS = _steps(
    ("立案", "执法人员", "15日"),
    ("调查取证", "两名以上执法人员", "90日"),
    ("审查", "法制审核人员", "7个工作日"),
    ("告知", "执法人员", "3个工作日"),
    ("决定", "负责人或集体讨论", "3个工作日"),
    ("送达", "执法人员", "7日"),
    ("执行", "执法人员", "15日"),
)
INSPECTION_STEPS = _steps(
    ("制定检查计划", "业务处室", "—"),
    ("实施检查", "两名以上执法人员", "按计划"),
    ("处理", "业务处室", "5个工作日"),
    ("公示结果", "业务处室", "20个工作日"),
)
BENEFIT_STEPS = _steps(
    ("申请受理", "窗口受理人员", "即时"),
    ("审核", "经办人员", "10个工作日"),
    ("审批", "分管负责人", "5个工作日"),
    ("发放", "财务人员", "次月"),
)

LICENSING_DUTIES = [
    {
        "content": (
            "受理责任：公示依法应当提交的材料，一次性告知补正材料，"
            "依法受理或不予受理（不予受理的说明理由）。"
        ),
        "basis": "《中华人民共和国行政许可法》第三十条、第三十二条",
        "accountability": (
            "对符合法定条件的申请不予受理的；不一次性告知申请人必须补正的全部内容的。"
        ),
    },
    {
        "content": "审查责任：对申请材料进行审查，需要实地核查的指派两名以上工作人员核查。",
        "basis": "《中华人民共和国行政许可法》第三十四条",
        "accountability": "对不符合法定条件的申请人准予许可或者超越法定职权作出准予许可决定的。",
    },
    {
        "content": (
            "决定责任：在法定期限内作出准予或不予许可的决定，不予许可的说明理由并告知救济途径。"
        ),
        "basis": "《中华人民共和国行政许可法》第三十八条、第四十二条",
        "accountability": (
            "对符合法定条件的申请人不予许可或者不在法定期限内作出准予许可决定的；"
            "办理许可索取或者收受他人财物的。"
        ),
    },
    {
        "content": "事后监管责任：对被许可人从事许可事项的活动进行监督检查。",
        "basis": "《中华人民共和国行政许可法》第六十一条",
        "accountability": "不依法履行监督职责或者监督不力，造成严重后果的。",
    },
]
PENALTY_DUTIES = [
    {
        "content": "立案责任：对发现的违法行为予以审查，决定是否立案。",
        "basis": "《中华人民共和国行政处罚法》第五十四条",
        "accountability": "应当立案而不立案的；违法立案的。",
    },
    {
        "content": (
            "调查、审查、告知、决定责任：全面客观公正调查，法制审核，"
            "告知当事人陈述申辩和听证权利，依法作出决定。"
        ),
        "basis": "《中华人民共和国行政处罚法》第五十五条至第六十五条",
        "accountability": (
            "没有法定依据或者违反法定程序实施处罚的；"
            "擅自改变处罚种类、幅度的；不听取当事人陈述申辩的。"
        ),
    },
    {
        "content": "送达、执行责任：依法送达处罚决定书，监督执行，罚没款全额上缴。",
        "basis": "《中华人民共和国行政处罚法》第六十一条、第六十七条",
        "accountability": "截留、私分或者变相私分罚款、没收的违法所得或者财物的。",
    },
]
INSPECTION_DUTIES = [
    {
        "content": "检查责任：按“双随机、一公开”要求制定并实施检查计划，出示执法证件。",
        "basis": "《优化营商环境条例》第五十五条",
        "accountability": "无计划检查、重复检查，干扰正常生产经营活动的；检查中索取或收受财物的。",
    },
    {
        "content": "处置责任：对发现的问题依法责令改正或移送处理，并公示检查结果。",
        "basis": "《优化营商环境条例》第五十五条",
        "accountability": "发现违法行为不予制止、不依法处理的。",
    },
]
BENEFIT_DUTIES = [
    {
        "content": "审核责任：核查申请人的家庭经济状况，张榜公示审核结果。",
        "basis": "《社会救助暂行办法》第十一条",
        "accountability": "对符合条件的申请不予批准或对不符合条件的申请予以批准的。",
    },
    {
        "content": "发放责任：按时足额社会化发放，定期复核。",
        "basis": "《社会救助暂行办法》第十二条",
        "accountability": "截留、挤占、挪用、私分社会救助资金、物资的。",
    },
]

SUPERVISION = (
    "本部门内部监督、市纪委监委派驻纪检监察组监督、市政务服务中心电子监察，社会监督电话12345。"
)

# (code, name, type, agency key, basis, time limit, steps, duties, options)
POWERS: list[tuple[str, str, str, str, list[dict[str, str]], str, Any, Any, dict[str, Any]]] = [
    (
        "XK-320200-SCJ-001",
        "食品经营许可",
        "licensing",
        "wx_scj",
        [
            _law(
                "中华人民共和国食品安全法",
                "第三十五条第一款",
                "国家对食品生产经营实行许可制度。从事食品生产、食品销售、餐饮服务，应当依法取得许可。",
            ),
            _law("食品经营许可和备案管理办法", "第四条"),
        ],
        "法定20个工作日，承诺10个工作日",
        _steps(
            ("受理", "窗口受理人员", "即时"),
            ("审查", "审查人员", "2个工作日"),
            ("现场核查", "两名以上核查人员", "5个工作日（不计入期限）"),
            ("决定", "审批人员", "1个工作日"),
            ("制证", "窗口人员", "1个工作日"),
            ("送达", "窗口人员", "1个工作日"),
        ),
        LICENSING_DUTIES,
        {"entry": "010130001000"},
    ),
    (
        "XK-320200-SCJ-002",
        "个体工商户设立登记",
        "licensing",
        "wx_scj",
        [
            _law("促进个体工商户发展条例", "第八条"),
            _law("中华人民共和国市场主体登记管理条例", "第三条"),
        ],
        "材料齐全的当场登记",
        _steps(
            ("受理", "窗口受理人员", "即时"),
            ("审查", "登记人员", "即时"),
            ("决定", "登记人员", "即时"),
            ("送达", "窗口人员", "即时"),
        ),
        LICENSING_DUTIES,
        {"entry": "010130002000"},
    ),
    (
        "CF-320200-SCJ-001",
        "对未取得食品经营许可从事食品经营活动的行政处罚",
        "penalty",
        "wx_scj",
        [_law("中华人民共和国食品安全法", "第一百二十二条")],
        "自立案之日起90日内作出处理决定",
        PENALTY_STEPS,
        PENALTY_DUTIES,
        {},
    ),
    (
        "JC-320200-SCJ-001",
        "对食品生产经营者的监督检查",
        "inspection",
        "wx_scj",
        [_law("中华人民共和国食品安全法", "第一百一十条")],
        "按年度检查计划",
        INSPECTION_STEPS,
        INSPECTION_DUTIES,
        {},
    ),
    (
        "QZ-320200-SCJ-001",
        "查封、扣押不符合食品安全标准的食品",
        "coercion",
        "wx_scj",
        [
            _law("中华人民共和国食品安全法", "第一百一十条第四项"),
            _law("中华人民共和国行政强制法", "第二十五条"),
        ],
        "查封、扣押期限不得超过30日",
        _steps(
            ("报批", "执法人员", "即时"),
            ("实施", "两名以上执法人员", "即时"),
            ("处理决定", "负责人", "30日内"),
        ),
        PENALTY_DUTIES[:2],
        {},
    ),
    (
        "XK-320200-GAJ-001",
        "机动车驾驶证核发、审验",
        "licensing",
        "wx_gaj",
        [_law("中华人民共和国道路交通安全法", "第十九条")],
        "考试合格后当日核发",
        LICENSING_STEPS,
        LICENSING_DUTIES,
        {},
    ),
    (
        "CF-320200-GAJ-001",
        "对违反治安管理行为的处罚",
        "penalty",
        "wx_gaj",
        [_law("中华人民共和国治安管理处罚法", "第七条、第九十一条")],
        "自受理之日起30日内办结",
        PENALTY_STEPS,
        PENALTY_DUTIES,
        {},
    ),
    (
        "QT-320200-GAJ-901",
        "技术侦查措施审批",
        "other",
        "wx_gaj",
        [_law("中华人民共和国刑事诉讼法", "第一百五十条")],
        "—",
        _steps(("申请", "办案部门", "—"), ("审批", "设区的市级以上公安机关负责人", "—")),
        PENALTY_DUTIES[:1],
        {"secret": True},
    ),
    (
        "XK-320200-WJW-001",
        "医疗机构执业登记",
        "licensing",
        "wx_wjw",
        [_law("医疗机构管理条例", "第十四条")],
        "法定45日，承诺15个工作日",
        LICENSING_STEPS,
        LICENSING_DUTIES,
        {},
    ),
    (
        "QR-320200-WJW-001",
        "出生医学证明核发",
        "confirmation",
        "wx_wjw",
        [_law("中华人民共和国母婴保健法", "第二十三条")],
        "即时办结",
        _steps(
            ("受理", "助产机构", "即时"), ("核对", "助产机构", "即时"), ("签发", "助产机构", "即时")
        ),
        [
            {
                "content": "签发责任：对本机构出生的新生儿按规定签发出生医学证明。",
                "basis": "《中华人民共和国母婴保健法》第二十三条",
                "accountability": "出具虚假出生医学证明的。",
            }
        ],
        {},
    ),
    (
        "XK-320200-ZRZY-001",
        "建设工程规划许可证核发",
        "licensing",
        "wx_zrzy",
        [_law("中华人民共和国城乡规划法", "第四十条")],
        "法定20个工作日，承诺7个工作日",
        LICENSING_STEPS,
        LICENSING_DUTIES,
        {},
    ),
    (
        "ZS-320200-ZRZY-001",
        "土地复垦费征收",
        "levy",
        "wx_zrzy",
        [_law("土地复垦条例", "第十八条")],
        "按复垦方案确定的期限",
        _steps(
            ("核定", "经办人员", "10个工作日"),
            ("通知缴纳", "经办人员", "3个工作日"),
            ("征收", "财务人员", "—"),
        ),
        [
            {
                "content": "征收责任：依法核定并足额征收土地复垦费，专款专用。",
                "basis": "《土地复垦条例》第十八条",
                "accountability": "违规减免、截留、挪用土地复垦费的。",
            }
        ],
        {
            "suspend": (
                "no_case_3_years",
                "近三年本市未发生应缴土地复垦费的情形，暂停行使，静态信息保留公开。",
            )
        },
    ),
    (
        "JF-320200-RSJ-001",
        "失业保险金申领",
        "benefit",
        "wx_rsj",
        [_law("失业保险条例", "第十四条、第十六条")],
        "自受理之日起10个工作日",
        BENEFIT_STEPS,
        BENEFIT_DUTIES,
        {},
    ),
    (
        "JF-320200-MZJ-001",
        "最低生活保障金给付",
        "benefit",
        "wx_mzj",
        [_law("社会救助暂行办法", "第九条至第十三条")],
        "自受理之日起30日内",
        BENEFIT_STEPS,
        BENEFIT_DUTIES,
        {},
    ),
    (
        "XK-320200-MZJ-002",
        "社会团体成立登记",
        "licensing",
        "wx_mzj",
        [_law("社会团体登记管理条例", "第九条、第十二条")],
        "法定60日，承诺15个工作日",
        LICENSING_STEPS,
        LICENSING_DUTIES,
        {"delegate": "lx_mzj"},
    ),
    (
        "JL-320200-MZJ-003",
        "见义勇为人员表彰奖励",
        "reward",
        "wx_mzj",
        [_law("江苏省见义勇为人员奖励和保护条例", "第十二条")],
        "自受理之日起60日内",
        _steps(
            ("申报", "所在地民政部门", "—"),
            ("确认", "评定委员会", "30日"),
            ("公示", "民政部门", "7日"),
            ("表彰", "市人民政府", "—"),
        ),
        [
            {
                "content": "确认和表彰责任：依法确认见义勇为行为，公示并表彰奖励。",
                "basis": "《江苏省见义勇为人员奖励和保护条例》",
                "accountability": "弄虚作假骗取见义勇为确认和奖励未予纠正的。",
            }
        ],
        {},
    ),
    (
        "XK-320200-JTJ-001",
        "道路旅客运输经营许可",
        "licensing",
        "wx_jtj",
        [_law("中华人民共和国道路运输条例", "第十条")],
        "法定20日，承诺10个工作日",
        LICENSING_STEPS,
        LICENSING_DUTIES,
        {},
    ),
    (
        "XK-320200-STHJ-001",
        "排污许可证核发",
        "licensing",
        "wx_sthj",
        [_law("排污许可管理条例", "第十四条")],
        "法定20日，承诺15个工作日",
        LICENSING_STEPS,
        LICENSING_DUTIES,
        {},
    ),
    (
        "CF-320200-STHJ-001",
        "对排污单位超标排放大气污染物的行政处罚",
        "penalty",
        "wx_sthj",
        [_law("中华人民共和国大气污染防治法", "第九十九条")],
        "自立案之日起90日内作出处理决定",
        PENALTY_STEPS,
        [],
        {},
    ),
    (
        "XK-320200-JYJ-001",
        "民办学校办学许可",
        "licensing",
        "wx_jyj",
        [_law("中华人民共和国民办教育促进法", "第十二条、第十七条")],
        "筹设30日，正式设立3个月",
        LICENSING_STEPS,
        LICENSING_DUTIES,
        {"unpublished": True},
    ),
    (
        "XK-320200-ZJJ-001",
        "建筑工程施工许可证核发",
        "licensing",
        "wx_zjj",
        [_law("中华人民共和国建筑法", "第七条、第八条")],
        "法定7日，承诺3个工作日",
        LICENSING_STEPS,
        LICENSING_DUTIES,
        {},
    ),
]

PENDING_CHANGE = {
    "power": "XK-320200-SCJ-001",
    "reason": "law_changed",
    "note": "《食品经营许可和备案管理办法》修订，承诺时限由10个工作日压减为5个工作日。",
    "data": {"time_limit": "法定20个工作日，承诺5个工作日"},
}

FUNDS: list[tuple[int, str, str, str, str, str, str]] = [
    # (year, agency key, project, budget 万元, management rules, allocation, performance)
    (
        2025,
        "wx_scj",
        "食品安全抽检监测专项资金",
        "1850.00",
        "《无锡市市级财政专项资金管理办法》《食品安全抽检监测专项资金使用细则》",
        "按年度抽检计划拨付至各承检机构，完成抽检12600批次",
        "抽检计划完成率100%，问题食品核查处置率100%",
    ),
    (
        2025,
        "wx_rsj",
        "就业创业扶持专项资金",
        "6200.00",
        "《无锡市就业补助资金管理办法》",
        "创业担保贷款贴息2100万元，职业技能培训补贴3300万元，其他800万元",
        "新增城镇就业14.2万人，扶持创业1.6万人",
    ),
    (
        2025,
        "wx_nyj",
        "高标准农田建设专项资金",
        "9800.00",
        "《农田建设补助资金管理办法》",
        "按建设任务切块下达各市（县）、区",
        "建成高标准农田5.2万亩，验收合格率100%",
    ),
    (
        2026,
        "wx_scj",
        "食品安全抽检监测专项资金",
        "1920.00",
        "《无锡市市级财政专项资金管理办法》《食品安全抽检监测专项资金使用细则》",
        "按年度抽检计划拨付（执行中）",
        "绩效目标：抽检13000批次，问题食品核查处置率100%",
    ),
    (
        2026,
        "wx_rsj",
        "就业创业扶持专项资金",
        "6500.00",
        "《无锡市就业补助资金管理办法》",
        "按季度据实拨付（执行中）",
        "绩效目标：新增城镇就业14万人以上",
    ),
    (
        2026,
        "wx_mzj",
        "困难群众救助补助资金",
        "15300.00",
        "《困难群众救助补助资金管理办法》",
        "按保障对象人数和标准下达各市（县）、区",
        "绩效目标：低保标准动态调整，应保尽保",
    ),
]

RELIEF: list[tuple[int, str, str, str, str, int, str]] = [
    # (year, agency key, division code, project, content, beneficiaries, funds 万元)
    (
        2025,
        "wx_nyj",
        "320281107202",
        "华西二村集体经济发展帮扶项目",
        "建设标准厂房1.2万平方米，租金收益用于低收入农户分红",
        386,
        "650.00",
    ),
    (
        2025,
        "wx_nyj",
        "320205106201",
        "朝阳村农村人居环境整治项目",
        "改造农村道路3.5公里，新建污水管网2.1公里",
        1240,
        "420.00",
    ),
    (
        2026,
        "wx_nyj",
        "320205106209",
        "港东村特色农产品产业帮扶项目",
        "建设农产品冷链仓储和电商服务站，带动低收入农户增收",
        510,
        "380.00",
    ),
]


def _agency_map() -> dict[str, Agency]:
    by_credit = {a.credit_code: a for a in Agency.objects.all()}
    out: dict[str, Agency] = {}
    for key, _name, _short, kind, div_code, serial, _parent in AGENCIES:
        authority, body = ("9", "1") if kind == "enterprise" else ("1", "1")
        if kind == "delegated":
            body = "2"
        credit = make_credit_code(authority, body, div_code[:6], serial)
        if credit in by_credit:
            out[key] = by_credit[credit]
    for key, _name, _short, serial in EXTRA_AGENCIES:
        credit = make_credit_code("1", "1", _CITY, serial)
        if credit in by_credit:
            out[key] = by_credit[credit]
    return out


def _ensure_agencies(created: Counter[str]) -> dict[str, Agency]:
    city = Division.objects.get(code=_CITY)
    for _key, name, short, serial in EXTRA_AGENCIES:
        credit = make_credit_code("1", "1", _CITY, serial)
        if not Agency.objects.filter(credit_code=credit).exists():
            agency_create(
                actor=SYSTEM,
                name=name,
                short_name=short,
                kind="department",
                credit_code=credit,
                division=city,
                phone="12345",
            )
            created["agencies"] += 1
    return _agency_map()


def _ensure_staff(agencies: dict[str, Agency], created: Counter[str]) -> dict[str, Staff]:
    staff: dict[str, Staff] = {}
    password_hash: str | None = None
    for login, name, agency_key, title, roles, addr, born, seq in STAFF:
        member = Staff.objects.filter(user__username=login).first()
        if member is None:
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            member = staff_bootstrap(
                actor=SYSTEM,
                agency=agencies[agency_key],
                name=name,
                id_number=make_resident_id(addr, born, seq),
                login_name=login,
                password_hash=password_hash,
                phone=f"1390511{seq:04d}",
                title=title,
                roles=roles,
            )
            created["staff"] += 1
        staff[login] = Staff.objects.get(pk=member.pk)  # fresh grants
    return staff


def _through(
    *,
    requester: Actor,
    reviewer: Actor,
    approver: Actor,
    kind: str,
    reason: str,
    note: str = "",
    **kwargs: Any,
) -> PowerChangeRequest:
    """One request the whole way: department → reform office → government."""
    req = power_change_request(actor=requester, kind=kind, reason=reason, note=note, **kwargs)
    req = power_change_review(actor=reviewer, request=req, approve=True, note="符合要求，同意")
    return power_change_decide(actor=approver, request=req, approve=True, note="同意")


def _load_powers(
    agencies: dict[str, Agency], staff: dict[str, Staff], created: Counter[str]
) -> None:
    reviewer, approver = staff["wx_bb_reform"], staff["wx_gov_approver"]
    entries = set(CatalogEntry.objects.values_list("basic_code", flat=True))
    for code, name, ptype, agency_key, basis, limit, steps, duties, opts in POWERS:
        if Power.objects.filter(code=code).exists():
            continue
        if PowerChangeRequest.objects.filter(
            kind=PowerChangeKind.ADD,
            status__in=[PowerChangeStatus.PENDING, PowerChangeStatus.REFORM_APPROVED],
            payload__power__code=code,
        ).exists():
            continue
        agency = agencies[agency_key]
        requester: Actor = staff["wx_scj_power"] if agency_key == "wx_scj" else SYSTEM
        doc: dict[str, Any] = {
            "code": code,
            "name": name,
            "power_type": ptype,
            "basis": basis,
            "time_limit": limit,
            "supervision_method": SUPERVISION,
            "secret": bool(opts.get("secret")),
            "entry": opts["entry"] if opts.get("entry") in entries else "",
            "steps": steps,
            "duties": duties,
        }
        req = _through(
            requester=requester,
            reviewer=reviewer,
            approver=approver,
            kind=PowerChangeKind.ADD,
            reason="law_changed",
            note="依据法律法规梳理编制权责清单",
            agency=agency,
            data=doc,
        )
        power = req.power
        assert power is not None
        created["powers"] += 1
        if not doc["secret"] and not opts.get("unpublished"):
            power = power_publish(actor=requester, power=power)
        if "suspend" in opts:
            reason, note = opts["suspend"]
            _through(
                requester=requester,
                reviewer=reviewer,
                approver=approver,
                kind=PowerChangeKind.SUSPEND,
                reason=reason,
                note=note,
                power=power,
            )
        if "delegate" in opts:
            _through(
                requester=requester,
                reviewer=reviewer,
                approver=approver,
                kind=PowerChangeKind.DELEGATE,
                reason="better_below",
                note="由区级管理更方便有效，下放梁溪区试点实施",
                power=power,
                target_agency=agencies[opts["delegate"]],
            )


def _load_pending_and_comments(staff: dict[str, Staff], created: Counter[str]) -> None:
    power = Power.objects.filter(code=PENDING_CHANGE["power"]).first()
    if power is None:
        return
    asked = PowerChangeRequest.objects.filter(power=power, note=PENDING_CHANGE["note"]).exists()
    busy = PowerChangeRequest.objects.filter(
        power=power, status__in=[PowerChangeStatus.PENDING, PowerChangeStatus.REFORM_APPROVED]
    ).exists()
    if not asked and not busy and power.status in (PowerStatus.ACTIVE, PowerStatus.DELEGATED):
        power_change_request(
            actor=staff["wx_scj_power"],
            kind=PowerChangeKind.CHANGE,
            power=power,
            reason=str(PENDING_CHANGE["reason"]),
            note=str(PENDING_CHANGE["note"]),
            data=PENDING_CHANGE["data"],  # type: ignore[arg-type]
        )
        created["requests"] += 1
    comments = [
        (
            "comment",
            "建议在流程图中注明现场核查可预约时间，方便小餐饮经营者安排。",
            "张小明",
            "13905100001",
            "感谢您的建议。现场核查可通过“一网通办”预约，我们将在流程图说明中补充预约方式。",
        ),
        (
            "complaint",
            "申请食品经营许可时窗口要求提供清单以外的房屋租赁备案证明，请核实。",
            "",
            "wang.li@example.com",
            "",
        ),
    ]
    for kind, content, name, contact, reply in comments:
        comment = PowerComment.objects.filter(power=power, content=content).first()
        if comment is None:
            comment = power_comment_submit(
                actor=PUBLIC, power=power, kind=kind, content=content, contact=contact, name=name
            )
            created["comments"] += 1
        if reply and not comment.reply:
            power_comment_reply(actor=staff["wx_scj_power"], comment=comment, reply=reply)


def _load_sunshine(
    agencies: dict[str, Agency], staff: dict[str, Staff], created: Counter[str]
) -> None:
    editor = staff["wx_czj_sunshine"]
    for year, key, project, budget, rules, allocation, performance in FUNDS:
        if FundList.objects.filter(year=year, agency=agencies[key], project=project).exists():
            continue
        row = fund_list_create(
            actor=editor,
            year=year,
            agency=agencies[key],
            project=project,
            budget=Decimal(budget),
            management_rules=rules,
            allocation=allocation,
            performance=performance,
        )
        fund_list_publish(actor=editor, row=row)
        created["funds"] += 1
    for year, key, div_code, project, content, beneficiaries, funds in RELIEF:
        if ReliefList.objects.filter(year=year, project=project).exists():
            continue
        division = Division.objects.filter(code=div_code).first()
        if division is None:
            continue
        relief = relief_list_create(
            actor=editor,
            year=year,
            agency=agencies[key],
            division=division,
            project=project,
            content=content,
            beneficiaries=beneficiaries,
            funds=Decimal(funds),
        )
        relief_list_publish(actor=editor, row=relief)
        created["relief"] += 1


@transaction.atomic
def load_powers() -> dict[str, Any]:
    """Create what is missing of the demo power and sunshine lists; return
    what was created and the demo accounts that work with them."""
    from yiwang.demo.city import load_city

    load_city()
    created: Counter[str] = Counter()
    agencies = _ensure_agencies(created)
    staff = _ensure_staff(agencies, created)
    _load_powers(agencies, staff, created)
    _load_pending_and_comments(staff, created)
    _load_sunshine(agencies, staff, created)
    return {
        "created": {k: v for k, v in created.items() if v},
        "accounts": [
            {"login": login, "name": name, "unit": agencies[key].name, "roles": "、".join(roles)}
            for login, name, key, _t, roles, _a, _b, _s in STAFF
        ],
        "password": DEMO_PASSWORD,
    }
