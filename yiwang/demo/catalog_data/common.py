"""Building blocks of the demo catalogue: certificate type codes, the shared
application-form fields, and small constructors for materials, steps, fees
and FAQs so each department module reads like the guide it describes.

Everything here is plain data (no Django). An item module lists ``ENTRIES``,
each a dictionary::

    {
        "key": "food_business",             # stable key, used by bundles
        "basic_code": "010130001000",        # 12 upper-case letters/digits
        "name": "食品经营许可",
        "item_type": "01",                   # ItemType code
        "owner": "wx_scj",                   # agency key of yiwang.demo.city
        "legal_basis": [law(...), ...],
        "levels": ["city", "county"],
        "parent": "other_entry_key",         # optional (sub-item)
        "convenience": False,                # 便民服务事项 (R3.8)
        "tags": [...], "topics": [...],      # tag codes and topic codes
        "guide": {...},                      # GuideDoc without the place fields
        "impls": [impl("wx_scj", "320200", "wx_hall", ["01"]), ...],
    }

The place of an implementation (hall address, windows, hours, consultation
and complaint numbers, the bodies of legal remedy) is added by ``place_of``.
"""

from __future__ import annotations

from typing import Any

from yiwang.core.checkdigits import make_credit_code
from yiwang.demo.city import AGENCIES, HALLS, WINDOWS

# --- certificate types (GB/T 36904) ----------------------------------------
# A type code is the defining agency's credit code + 3 digits. The national
# defining agencies get made-up but well-formed credit codes (valid check
# characters); the same type code is used for a certificate wherever an item
# asks for it, so 免证办 (R5.8) can match it.


def _defining(serial: int) -> str:
    return make_credit_code("1", "1", "100000", serial)


_MPS = _defining(1301)  # 公安部
_SAMR = _defining(1302)  # 国家市场监督管理总局
_NHC = _defining(1303)  # 国家卫生健康委员会
_MOHRSS = _defining(1304)  # 人力资源和社会保障部
_MCA = _defining(1305)  # 民政部
_MNR = _defining(1306)  # 自然资源部
_MOHURD = _defining(1307)  # 住房和城乡建设部
_MOT = _defining(1308)  # 交通运输部
_MEE = _defining(1309)  # 生态环境部
_MOE = _defining(1310)  # 教育部
_NMPA = _defining(1311)  # 国家药品监督管理局
_STMA = _defining(1312)  # 国家烟草专卖局
_CDPF = _defining(1313)  # 中国残疾人联合会

CERT: dict[str, str] = {
    "id_card": _MPS + "001",  # 居民身份证
    "household_register": _MPS + "002",  # 居民户口簿
    "driving_licence": _MPS + "003",  # 机动车驾驶证
    "residence_permit": _MPS + "004",  # 居住证
    "business_licence": _SAMR + "001",  # 营业执照
    "food_business_licence": _SAMR + "002",  # 食品经营许可证
    "special_equipment_registration": _SAMR + "003",  # 特种设备使用登记证
    "birth_certificate": _NHC + "001",  # 出生医学证明
    "public_health_permit": _NHC + "002",  # 公共场所卫生许可证
    "physician_qualification": _NHC + "003",  # 医师资格证书
    "physician_practice": _NHC + "004",  # 医师执业证书
    "health_certificate": _NHC + "005",  # 健康证明
    "social_security_card": _MOHRSS + "001",  # 社会保障卡
    "employment_card": _MOHRSS + "002",  # 就业创业证
    "marriage_certificate": _MCA + "001",  # 结婚证
    "elderly_card": _MCA + "002",  # 老年人优待证
    "real_estate_certificate": _MNR + "001",  # 不动产权证书
    "land_planning_permit": _MNR + "002",  # 建设用地规划许可证
    "project_planning_permit": _MNR + "003",  # 建设工程规划许可证
    "construction_permit": _MOHURD + "001",  # 建筑工程施工许可证
    "drainage_permit": _MOHURD + "002",  # 城镇污水排入排水管网许可证
    "presale_permit": _MOHURD + "003",  # 商品房预售许可证
    "road_transport_permit": _MOT + "001",  # 道路运输经营许可证
    "taxi_driver_certificate": _MOT + "002",  # 出租汽车驾驶员从业资格证
    "pollution_permit": _MEE + "001",  # 排污许可证
    "teacher_qualification": _MOE + "001",  # 教师资格证书
    "mandarin_certificate": _MOE + "002",  # 普通话水平测试等级证书
    "school_licence": _MOE + "003",  # 办学许可证
    "drug_business_licence": _NMPA + "001",  # 药品经营许可证
    "tobacco_retail_licence": _STMA + "001",  # 烟草专卖零售许可证
    "disability_certificate": _CDPF + "001",  # 中华人民共和国残疾人证
}

# --- shared application-form fields ----------------------------------------
# The same property name means the same thing in every item, so a bundle's
# merged form asks it once (R6.5).

_ID_PATTERN = "^[0-9]{17}[0-9X]$"
_PHONE_PATTERN = "^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$"
_CREDIT_PATTERN = "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"

PROPS: dict[str, dict[str, Any]] = {
    "applicant_name": {"type": "string", "title": "申请人姓名", "maxLength": 50},
    "applicant_id_number": {
        "type": "string",
        "title": "申请人公民身份号码",
        "pattern": _ID_PATTERN,
    },
    "contact_phone": {"type": "string", "title": "联系电话", "pattern": _PHONE_PATTERN},
    "contact_address": {"type": "string", "title": "联系地址", "maxLength": 200},
    "household_address": {"type": "string", "title": "户籍地址", "maxLength": 200},
    "residence_address": {"type": "string", "title": "现居住地址", "maxLength": 200},
    "entity_name": {"type": "string", "title": "单位（经营者）名称", "maxLength": 100},
    "credit_code": {
        "type": "string",
        "title": "统一社会信用代码",
        "pattern": _CREDIT_PATTERN,
    },
    "legal_rep_name": {"type": "string", "title": "法定代表人（负责人）姓名", "maxLength": 50},
    "legal_rep_id_number": {
        "type": "string",
        "title": "法定代表人（负责人）公民身份号码",
        "pattern": _ID_PATTERN,
    },
    "business_address": {"type": "string", "title": "经营场所（住所）", "maxLength": 200},
    "business_scope": {"type": "string", "title": "经营范围（经营项目）", "maxLength": 1000},
    "registered_capital": {
        "type": "number",
        "title": "注册资本（万元）",
        "minimum": 0,
    },
    "employee_count": {"type": "integer", "title": "从业人员人数", "minimum": 0},
    "business_area": {"type": "number", "title": "经营场所面积（平方米）", "minimum": 0},
    "bank_name": {"type": "string", "title": "开户银行", "maxLength": 100},
    "bank_account": {"type": "string", "title": "银行账号", "pattern": "^[0-9]{8,30}$"},
    "project_name": {"type": "string", "title": "项目名称", "maxLength": 200},
    "project_code": {"type": "string", "title": "项目代码", "maxLength": 40},
    "construction_site": {"type": "string", "title": "建设地点", "maxLength": 200},
    "building_area": {"type": "number", "title": "总建筑面积（平方米）", "minimum": 0},
    "total_investment": {"type": "number", "title": "总投资（万元）", "minimum": 0},
    "child_name": {"type": "string", "title": "新生儿姓名", "maxLength": 50},
    "child_gender": {"type": "string", "title": "新生儿性别", "enum": ["男", "女"]},
    "child_birth_date": {"type": "string", "title": "出生日期", "format": "date"},
    "birth_hospital": {"type": "string", "title": "出生医疗机构", "maxLength": 100},
    "mother_name": {"type": "string", "title": "母亲姓名", "maxLength": 50},
    "mother_id_number": {"type": "string", "title": "母亲公民身份号码", "pattern": _ID_PATTERN},
    "father_name": {"type": "string", "title": "父亲姓名", "maxLength": 50},
    "father_id_number": {"type": "string", "title": "父亲公民身份号码", "pattern": _ID_PATTERN},
    "property_address": {"type": "string", "title": "不动产坐落", "maxLength": 200},
    "property_cert_number": {"type": "string", "title": "不动产权证书号", "maxLength": 60},
    "vehicle_plate": {"type": "string", "title": "号牌号码", "maxLength": 12},
    "apply_reason": {"type": "string", "title": "申请事由", "maxLength": 500},
    "receive_way": {
        "type": "string",
        "title": "结果领取方式",
        "enum": ["窗口领取", "邮寄送达", "电子证照"],
    },
    "mail_address": {"type": "string", "title": "邮寄地址", "maxLength": 200},
}


def form(
    title: str,
    required: list[str],
    optional: list[str] | None = None,
    extra: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) for one variant's application form.

    ``required`` and ``optional`` name shared properties (PROPS); ``extra``
    adds item-specific ones (a key of ``extra`` also listed in ``required``
    is required).
    """
    props: dict[str, dict[str, Any]] = {}
    optional = optional or []
    for name in [*required, *optional]:
        if name in PROPS:
            props[name] = dict(PROPS[name])
    for name, spec in (extra or {}).items():
        props[name] = spec
    missing = [n for n in [*required, *optional] if n not in props]
    if missing:
        raise KeyError(f"form {title!r}: unknown properties {missing}")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "title": title,
        "required": list(required),
        "properties": props,
    }


def s(title: str, **kw: Any) -> dict[str, Any]:
    """An item-specific string property."""
    return {"type": "string", "title": title, **kw}


def choice(title: str, options: list[str]) -> dict[str, Any]:
    return {"type": "string", "title": title, "enum": options}


def num(title: str, **kw: Any) -> dict[str, Any]:
    return {"type": "number", "title": title, "minimum": 0, **kw}


def variant(code: str, name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"code": code, "name": name, "form_schema": schema}


# --- legal basis, materials, steps, fees, FAQs -------------------------------


def law(title: str, article: str, text: str) -> dict[str, str]:
    """One reference of the legal basis: the act, the article, its gist.

    Titles are written here as cited (《中华人民共和国食品安全法》); they are
    stored without the outer book-title marks, which the guide page adds."""
    if title.startswith("《") and "》" in title:
        end = title.index("》")
        title = title[1:end] + title[end + 1 :]
    return {"title": title, "article": article, "text": text}


def mat(
    code: str,
    name: str,
    *,
    kind: str = "other",
    form: str = "both",
    necessity: str = "required",
    source: str = "applicant",
    copies: int = 1,
    **extra: Any,
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "code": code,
        "name": name,
        "kind": kind,
        "form": form,
        "necessity": necessity,
        "copies": copies,
        "source": source,
    }
    doc.update(extra)
    if "page_format" not in doc and form != "electronic":
        doc["page_format"] = "A4"
    return doc


def app_form(name: str, **extra: Any) -> dict[str, Any]:
    """The application form itself (申请表格文书, filled online or on paper)."""
    base: dict[str, Any] = {
        "kind": "form",
        "acceptance_standard": "内容填写完整、真实，与其他申请材料一致；申请人（法定代表人）"
        "签字或盖章。"
        "网上申请的在线填报并电子签名，无需另交纸质表。",
        "filling_notes": "可在江苏政务服务网在线填写后打印，或在窗口领取空白表格填写。",
    }
    base.update(extra)
    code = base.pop("code", "application_form")
    return mat(code, name, **base)


def _certificate(
    code: str, name: str, cert: str, note: str, standard: str, extra: dict[str, Any]
) -> dict[str, Any]:
    base: dict[str, Any] = {
        "kind": "certificate",
        "form": "both",
        "necessity": "required",
        "source": "government",
        "source_note": note,
        "acceptance_standard": standard,
        "certificate_type_code": CERT[cert],
    }
    base.update(extra)
    return mat(code, name, **base)


def id_card(who: str = "申请人", *, code: str = "id_card", **extra: Any) -> dict[str, Any]:
    return _certificate(
        code,
        f"{who}居民身份证",
        "id_card",
        "公安机关核发",
        "在有效期内的原件，窗口现场核验后退还；已归集电子证照的，通过电子证照库调取，无需提交。",
        extra,
    )


def business_licence(**extra: Any) -> dict[str, Any]:
    extra.setdefault("form", "electronic")
    return _certificate(
        "business_licence",
        "营业执照",
        "business_licence",
        "市场监督管理部门核发",
        "在有效期内；已归集电子营业执照的，通过电子证照库调取，申请人无需提交。",
        extra,
    )


def household_register(
    who: str = "申请人", *, code: str = "household_register", **extra: Any
) -> dict[str, Any]:
    return _certificate(
        code,
        f"{who}居民户口簿",
        "household_register",
        "公安机关核发",
        "户口簿原件（首页及本人页），信息与身份证件一致；窗口核验后退还。",
        extra,
    )


def certificate(
    code: str, name: str, cert: str, note: str, standard: str, **extra: Any
) -> dict[str, Any]:
    """A material that is a certificate of a known type (免证办 where shared)."""
    return _certificate(code, name, cert, note, standard, extra)


def proxy_papers(**extra: Any) -> dict[str, Any]:
    """委托代理: the power of attorney and the agent's ID (optional)."""
    base: dict[str, Any] = {
        "necessity": "optional",
        "acceptance_standard": "委托他人代办时提交；委托书载明委托事项和权限，委托人签字（盖章），"
        "受托人身份证件原件现场核验。",
        "filling_notes": "本人办理的无需提交。",
    }
    base.update(extra)
    return mat("proxy", "授权委托书及受托人身份证件", **base)


def premises_proof(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "acceptance_standard": "自有房产提供不动产权证书（可由部门共享获取）；"
        "租赁房屋提供租赁合同；"
        "无法提供产权证明的，可提交村（居）委会等出具的场所使用证明。",
    }
    base.update(extra)
    return mat("premises_proof", "经营场所使用证明", **base)


STEP_NAMES: dict[str, tuple[str, str, bool]] = {
    # code: (name, default role, special procedure)
    "accept": ("受理", "clerk", False),
    "review": ("审查", "reviewer", False),
    "inspect": ("现场核查", "reviewer", True),
    "survey": ("现场踏勘", "reviewer", True),
    "expert": ("专家评审", "reviewer", True),
    "notice": ("公示", "reviewer", True),
    "hearing": ("听证", "reviewer", True),
    "appraise": ("评定", "reviewer", True),
    "test": ("检验检测", "reviewer", True),
    "decide": ("决定", "approver", False),
    "certify": ("制证", "clerk", False),
    "deliver": ("送达", "clerk", False),
}


def step(
    code: str,
    days: int,
    description: str,
    *,
    name: str | None = None,
    role: str | None = None,
    unit: str = "working_days",
    special: bool | None = None,
) -> dict[str, Any]:
    base_name, base_role, base_special = STEP_NAMES.get(code, (code, "reviewer", False))
    return {
        "code": code,
        "name": name or base_name,
        "role_code": role or base_role,
        "time_limit": days,
        "time_unit": unit,
        "is_special": base_special if special is None else special,
        "description": description,
    }


def standard_steps(
    accept: int = 0,
    review: int = 1,
    decide: int = 1,
    certify: int = 0,
    deliver: int = 0,
    *,
    subject: str = "许可",
    result: str = "证照",
    special: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """受理 → 审查 → [special] → 决定 → 制证 → 送达 with the usual wording."""
    steps = [
        step(
            "accept",
            accept,
            "窗口（或网上）核对申请材料：齐全且符合法定形式的当场受理并出具受理通知书；"
            "不齐全的一次性告知需补正的全部内容；不属于本机关职权的不予受理并说明理由。",
        ),
        step("review", review, f"审查人员对申请材料的实质内容进行审查，提出{subject}审查意见。"),
        *(special or []),
        step(
            "decide",
            decide,
            f"审批人员作出准予{subject}或不予{subject}的决定；不予{subject}的书面说明理由，"
            "并告知申请人享有依法申请行政复议或者提起行政诉讼的权利。",
        ),
        step("certify", certify, f"制作{result}，同步生成电子证照并归集至电子证照库。"),
        step("deliver", deliver, f"通过窗口领取、免费邮寄或电子送达方式送达{result}。"),
    ]
    return steps


def fee(
    name: str, standard: str, basis: str, *, reducible: bool = False, note: str = ""
) -> dict[str, Any]:
    return {
        "name": name,
        "standard": standard,
        "legal_basis": basis,
        "reducible": reducible,
        "reduction_note": note,
    }


def faqs(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"question": q, "answer": a} for q, a in pairs]


# --- rights and obligations, legal remedy ----------------------------------

RIGHTS_PERMIT = (
    "申请人依法享有以下权利：1. 查询申请办理进度和结果；2. 对申请材料不齐全或者不符合法定形式的，"
    "获得一次性告知；3. 陈述、申辩，依法要求听证；4. 对不予受理、不予许可的决定获得书面理由说明，"
    "并依法申请行政复议或者提起行政诉讼；5. 对工作人员的违法违纪行为进行投诉举报；"
    "6. 对办理服务进行评价。"
    "申请人应当履行以下义务：1. 如实向行政机关提交有关材料和反映真实情况，"
    "并对申请材料实质内容的真实性负责"
    "（《中华人民共和国行政许可法》第三十一条）；2. 配合现场核查等审查工作；"
    "3. 取得许可后按照许可范围"
    "从事活动，接受监督检查；4. 许可事项发生变化的，依法及时办理变更手续。"
)

RIGHTS_GENERAL = (
    "申请人依法享有知情权、查询办理进度权、陈述申辩权、获得一次性告知权、对办理结果依法申请行政复议"
    "或者提起行政诉讼的权利，以及对办理服务进行评价、投诉举报的权利。申请人应当如实提供申请材料并对其"
    "真实性负责，不得隐瞒有关情况或者提供虚假材料；相关情况发生变化的，应当及时告知办理机关。"
)

RIGHTS_SERVICE = (
    "服务对象有权了解办理条件、流程、时限和收费标准，获得一次性告知，查询办理进度，对服务进行评价和投诉。"
    "服务对象应当如实提供信息和材料，配合现场查勘，按约定履行缴费和安全使用义务。"
)

# Who reviews an agency's acts (行政复议法 2023 修订, 第二十四条、第二十七条).
_REVIEW_BODY: dict[str, str] = {
    "wx_swj": "国家税务总局江苏省税务局",
    "wx_ycj": "江苏省烟草专卖局",
    "lx_gafj": "无锡市人民政府（也可以向无锡市梁溪区人民政府申请）",
    "lx_scj": "无锡市梁溪区人民政府",
    "lx_mzj": "无锡市梁溪区人民政府",
    "jy_scj": "江阴市人民政府",
    "jy_gaj": "江阴市人民政府",
    "jy_rsj": "江阴市人民政府",
    "xs_rsj": "无锡市锡山区人民政府",
    "yx_mzj": "宜兴市人民政府",
    "hs_gov": "江阴市人民政府",
}


def remedy(agency_key: str) -> str:
    """The standard legal-remedy text for an administrative agency."""
    body = _REVIEW_BODY.get(agency_key, "无锡市人民政府")
    text = (
        f"申请人认为本机关作出的行政行为侵犯其合法权益的，可以自知道或者应当知道该行政行为之日起六十日内"
        f"向{body}申请行政复议（《中华人民共和国行政复议法》第二十条）；也可以自知道或者应当知道作出"
        "行政行为之日起六个月内，依法向有管辖权的人民法院提起行政诉讼（《中华人民共和国行政诉讼法》"
        "第四十六条）。对行政复议决定不服的，可以自收到复议决定书之日起十五日内向人民法院提起行政诉讼。"
    )
    if agency_key == "wx_swj":
        text += (
            "因纳税争议申请行政复议的，应当先依照税务机关的纳税决定缴纳或者解缴税款及滞纳金或者提供相应的"
            "担保（《中华人民共和国税收征收管理法》第八十八条）。"
        )
    return text


REMEDY_ENTERPRISE = (
    "对报装受理、方案答复、收费或者服务时限有异议的，可以向本单位客户服务中心提出复核；对复核结果仍有异议的，"
    "可以向行业主管部门投诉，或者拨打12345政务服务便民热线反映；因供用合同发生争议的，可以依法申请调解、"
    "仲裁或者向人民法院提起民事诉讼。"
)

# --- places of implementation -------------------------------------------------

HOURS = "周一至周五 上午9:00-12:00，下午13:30-17:00（法定节假日除外）"
HOURS_CITY = HOURS + "；周六上午9:00-12:00提供预约延时服务"
COMPLAINT = (
    "12345（无锡市12345政务服务便民热线）；0510-81820000（无锡市政务服务管理办公室监督电话）"
)

# Consultation numbers: made-up 0510 numbers, one per agency.
CONSULT: dict[str, str] = {
    "wx_spj": "0510-81821101",
    "wx_scj": "0510-81821201",
    "wx_gaj": "0510-81821301",
    "wx_zrzy": "0510-81821401",
    "wx_wjw": "0510-81821501",
    "wx_rsj": "0510-81821601",
    "wx_zjj": "0510-81821701",
    "wx_jtj": "0510-81821801",
    "wx_sthj": "0510-81821901",
    "wx_mzj": "0510-81822001",
    "wx_jyj": "0510-81822101",
    "wx_swj": "12366（纳税缴费服务热线）",
    "wx_ybj": "0510-81822301",
    "wx_gjj": "12329（住房公积金服务热线）",
    "wx_power": "95598（国网供电服务热线）",
    "wx_water": "0510-81822601",
    "wx_gas": "0510-81822701",
    "wx_cgj": "0510-81822801",
    "wx_ycj": "0510-81822901",
    "wx_cl": "0510-81823001",
    "lx_scj": "0510-82701201",
    "lx_gafj": "0510-82701301",
    "lx_mzj": "0510-82702001",
    "jy_scj": "0510-86801201",
    "jy_gaj": "0510-86801301",
    "jy_rsj": "0510-86801601",
    "xs_rsj": "0510-88201601",
    "yx_mzj": "0510-87902001",
    "hs_gov": "0510-86211001",
}

AGENCY_NAMES: dict[str, str] = {a[0]: a[1] for a in AGENCIES}
_HALLS: dict[str, tuple[str, str]] = {h[0]: (h[3], h[5]) for h in HALLS}
_WINDOWS: dict[tuple[str, str], str] = {(w[0], w[1]): w[2] for w in WINDOWS}


def impl(
    agency: str,
    division: str,
    hall: str,
    windows: list[str] | None = None,
    *,
    address: str | None = None,
    **guide: Any,
) -> dict[str, Any]:
    """One implementation: agency key, division code, hall key, window numbers
    in that hall; ``address`` replaces the hall address; other keyword
    arguments replace guide elements for this implementation only."""
    return {
        "agency": agency,
        "division": division,
        "hall": hall,
        "windows": list(windows or []),
        "address": address,
        "guide": guide,
    }


def place_of(spec: dict[str, Any]) -> dict[str, Any]:
    """The place elements of an implementation's guide: the hall and windows
    of the demo city, or the given address where the item is handled
    elsewhere (a hospital, a registry, a county without a demo hall)."""
    consult = CONSULT[spec["agency"]]
    if not spec["hall"]:
        return {
            "address": spec["address"],
            "hours": HOURS,
            "consult_phone": consult,
            "complaint_phone": COMPLAINT,
        }
    hall_name, hall_address = _HALLS[spec["hall"]]
    windows = "、".join(f"{n}号{_WINDOWS[(spec['hall'], n)]}" for n in spec["windows"])
    address = spec.get("address") or f"{hall_name}（{hall_address}）{windows}"
    return {
        "address": address,
        "hours": HOURS_CITY if spec["hall"] == "wx_hall" else HOURS,
        "consult_phone": f"{consult}；现场咨询：{hall_name}咨询服务台",
        "complaint_phone": COMPLAINT,
    }
