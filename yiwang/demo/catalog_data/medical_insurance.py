"""医疗保障: residents' medical insurance enrolment, out-of-town medical care filing."""

from __future__ import annotations

from typing import Any

from yiwang.demo.catalog_data.common import (
    certificate,
    choice,
    faqs,
    form,
    household_register,
    id_card,
    impl,
    law,
    mat,
    s,
    step,
    variant,
)

_ENROL_FORM = form(
    "城乡居民基本医疗保险参保登记表",
    required=[
        "applicant_name",
        "applicant_id_number",
        "contact_phone",
        "household_address",
        "insured_category",
    ],
    optional=["residence_address", "guardian_name"],
    extra={
        "insured_category": choice(
            "参保人员类别",
            ["新生儿", "学生儿童", "成年居民", "老年居民", "重度残疾人", "低保对象"],
        ),
        "guardian_name": s("监护人姓名"),
    },
)

_NEWBORN_ENROL_FORM = form(
    "新生儿参保登记表",
    required=[
        "child_name",
        "child_gender",
        "child_birth_date",
        "mother_name",
        "mother_id_number",
        "household_address",
        "contact_phone",
    ],
    optional=["father_name", "father_id_number"],
)

RESIDENT_MEDICAL: dict[str, Any] = {
    "key": "resident_medical",
    "basic_code": "210190001000",
    "name": "城乡居民基本医疗保险参保登记",
    "item_type": "21",
    "owner": "wx_ybj",
    "levels": ["city", "county", "town"],
    "legal_basis": [
        law(
            "《中华人民共和国社会保险法》",
            "第二十五条",
            "国家建立和完善城镇居民基本医疗保险制度。城镇居民基本医疗保险实行个人缴费和政府补贴相结合。",
        ),
        law(
            "《国务院关于整合城乡居民基本医疗保险制度的意见》（国发〔2016〕3号）",
            "",
            "整合城镇居民基本医疗保险和新型农村合作医疗，建立统一的城乡居民基本医疗保险制度。",
        ),
    ],
    "tags": ["mashang", "wangshang", "zhangshang", "jiujin", "mianzheng"],
    "topics": ["le_birth", "le_medical"],
    "guide": {
        "audience": "person",
        "handling_kind": "immediate",
        "acceptance_conditions": (
            "1. 不属于职工基本医疗保险覆盖范围的本市户籍城乡居民；\n"
            "2. 持有本市居住证的非本市户籍居民及其未成年子女；\n"
            "3. 在本市就读的大中小学生、托育机构儿童；\n"
            "4. 新生儿自出生之日起3个月内参保缴费的，自出生之日起享受医保待遇。"
        ),
        "promised_limit": 0,
        "promised_note": "即时办结；参保登记后按年度向税务部门缴纳个人缴费。",
        "result_name": "城乡居民基本医疗保险参保登记信息",
        "result_type": "其他",
        "delivery_ways": ["electronic"],
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [
            variant("resident", "城乡居民参保登记", _ENROL_FORM),
            variant("newborn", "新生儿参保登记", _NEWBORN_ENROL_FORM),
        ],
        "materials": [
            id_card(variant="resident"),
            certificate(
                "birth_certificate",
                "出生医学证明",
                "birth_certificate",
                "助产医疗机构签发",
                "新生儿参保时通过信息共享获取，无需提交。",
                variant="newborn",
            ),
            household_register(
                "新生儿",
                variant="newborn",
                necessity="optional",
                filling_notes="已办理出生登记的提供；未办理的可先凭出生医学证明参保。",
            ),
            certificate(
                "residence_permit",
                "居住证",
                "residence_permit",
                "公安机关核发",
                "非本市户籍居民参保时提交，可通过信息共享核验。",
                necessity="optional",
                variant="resident",
            ),
        ],
        "steps": [
            step("accept", 0, "网上、医保经办窗口或村（社区）受理。"),
            step("review", 0, "核验身份和参保状态，排除重复参保。", name="核验"),
            step("decide", 0, "办理参保登记。", name="登记"),
            step("certify", 0, "生成参保信息，推送税务部门缴费。", name="出具结果"),
            step("deliver", 0, "短信告知缴费方式。", name="告知"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "城乡居民医保怎么缴费？",
                "参保登记后通过“江苏税务”App、微信、支付宝或合作银行按年度缴费，缴费标准以当年公布为准；"
                "低保对象、特困人员等个人缴费部分按规定给予资助。",
            ),
            (
                "新生儿出生后多久内参保不影响报销？",
                "出生之日起3个月内办理参保缴费的，自出生之日起享受待遇，出生后的住院费用可以按规定报销。",
            ),
        ),
    },
    "impls": [impl("wx_ybj", "320200", "wx_hall", ["05"])],
}

_REMOTE_FORM = form(
    "跨省异地就医登记备案表",
    required=[
        "applicant_name",
        "applicant_id_number",
        "contact_phone",
        "filing_type",
        "destination",
        "start_date",
    ],
    optional=["residence_address"],
    extra={
        "filing_type": choice(
            "备案类型", ["异地长期居住", "常驻异地工作", "异地转诊就医", "临时外出就医"]
        ),
        "destination": s("就医地（省、市）", maxLength=60),
        "start_date": s("备案开始日期", format="date"),
    },
)

REMOTE_MEDICAL: dict[str, Any] = {
    "key": "remote_medical",
    "basic_code": "210190002000",
    "name": "跨省异地就医登记备案",
    "item_type": "21",
    "owner": "wx_ybj",
    "levels": ["city"],
    "legal_basis": [
        law(
            "《国家医疗保障局 财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》"
            "（医保发〔2022〕22号）",
            "",
            "跨省异地长期居住人员和临时外出就医人员可通过线上、线下多种方式办理备案，可采取承诺制，"
            "无需提交证明材料。",
        )
    ],
    "tags": ["kuasheng", "wangshang", "zhangshang", "miaoban"],
    "topics": ["le_medical", "le_elderly"],
    "guide": {
        "audience": "person",
        "handling_kind": "immediate",
        "general_area": "全国（跨省通办）",
        "acceptance_conditions": (
            "1. 参加本市职工基本医疗保险或城乡居民基本医疗保险，处于正常参保状态；\n"
            "2. 属于异地长期居住（含异地安置退休、常驻异地工作、异地长期居住）或临时外出就医"
            "（含异地转诊、异地急诊抢救）人员；\n"
            "3. 申请人对备案信息的真实性作出承诺。"
        ),
        "promised_limit": 0,
        "promised_note": "网上申请即时办结（秒办），备案结果即时生效。",
        "result_name": "跨省异地就医备案结果",
        "result_type": "其他",
        "delivery_ways": ["electronic"],
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [
            variant("long_stay", "异地长期居住人员备案", _REMOTE_FORM),
            variant("temporary", "临时外出就医人员备案", _REMOTE_FORM),
        ],
        "materials": [
            id_card(),
            mat(
                "pledge",
                "个人承诺书",
                kind="form",
                form="electronic",
                acceptance_standard="在线签署，承诺异地居住或就医情况属实。",
            ),
        ],
        "steps": [
            step("accept", 0, "国家医保服务平台App、“苏服办”App或窗口受理。"),
            step("review", 0, "系统自动核验参保状态。", name="核验"),
            step("decide", 0, "办理备案。", name="备案"),
            step("certify", 0, "生成备案信息，上传国家异地就医结算系统。", name="出具结果"),
            step("deliver", 0, "即时推送备案结果。", name="告知"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "备案后回无锡看病还能报销吗？",
                "异地长期居住人员备案有效期内，在备案地和参保地双向享受待遇，回参保地就医可以直接结算。",
            ),
            (
                "临时外出就医备案有效期多长？",
                "临时外出就医人员备案有效期内可在就医地多次就诊并直接结算，具体有效期以备案结果为准。",
            ),
        ),
    },
    "impls": [impl("wx_ybj", "320200", "wx_hall", ["05"])],
}

ENTRIES: list[dict[str, Any]] = [RESIDENT_MEDICAL, REMOTE_MEDICAL]
