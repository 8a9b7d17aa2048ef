"""便民服务事项 (R3.8): handled at town and village level with the lighter
guide (responsible unit, service content, process, time limit, management
requirements)."""

from __future__ import annotations

from typing import Any

from yiwang.demo.catalog_data.common import (
    choice,
    form,
    id_card,
    impl,
    law,
    mat,
    s,
    step,
    variant,
)

STANDARDISATION = law(
    "《国务院办公厅关于加快推进政务服务标准化规范化便利化的指导意见》（国办发〔2022〕5号）",
    "",
    "推动基层便民服务中心（站）规范化建设，将直接面向群众、量大面广、乡镇（街道）和村（社区）能有效承接"
    "的政务服务事项依法下放或委托实施，推行帮办代办。",
)

_ELDERLY_CARD_FORM = form(
    "老年人优待证申请表",
    required=["applicant_name", "applicant_id_number", "contact_phone", "household_address"],
    optional=["residence_address"],
)

ELDERLY_CARD: dict[str, Any] = {
    "key": "elderly_card",
    "basic_code": "210050004000",
    "name": "老年人优待证办理",
    "item_type": "21",
    "owner": "wx_mzj",
    "levels": ["town", "village"],
    "convenience": True,
    "legal_basis": [
        law(
            "《中华人民共和国老年人权益保障法》",
            "第五章",
            "社会优待：县级以上人民政府及其有关部门根据经济社会发展情况和老年人的特殊需要，制定优待老年人的"
            "办法，逐步提高优待水平。",
        ),
        STANDARDISATION,
    ],
    "tags": ["jiujin", "mashang", "bangban"],
    "topics": ["le_elderly"],
    "guide": {
        "audience": "person",
        "handling_kind": "immediate",
        "service_content": (
            "为年满60周岁的本地户籍老年人和在本地居住的非本地户籍老年人办理老年人优待证，"
            "凭证享受公共交通、公园景点、公共文化场馆等优待服务；提供上门代办和电子优待证。"
        ),
        "management_requirements": (
            "1. 由镇便民服务中心民政窗口受理和制证，村（社区）便民服务站可代收材料；\n"
            "2. 当场核验身份、当场制证，不得要求提供其他证明；\n"
            "3. 行动不便的老年人由代办员预约上门服务；\n"
            "4. 办证不收取任何费用，制证信息按规定保管，不得泄露老年人个人信息。"
        ),
        "promised_limit": 0,
        "promised_note": "当场制证；上门代办的3个工作日内送证上门。",
        "variants": [variant("apply", "办理", _ELDERLY_CARD_FORM)],
        "materials": [
            id_card("老年人"),
            mat(
                "photo",
                "近期1寸免冠彩色照片",
                necessity="optional",
                source="other",
                source_note="便民服务中心可现场免费拍照",
                acceptance_standard="白色背景。",
            ),
        ],
        "steps": [
            step("accept", 0, "便民服务中心民政窗口受理，核验身份。"),
            step("certify", 0, "现场制证，同步生成电子优待证。", name="制证"),
            step("deliver", 0, "当场发放或送证上门。", name="发放"),
        ],
        "fees": [],
        "faqs": [],
    },
    "impls": [impl("hs_gov", "320281107000", "hs_centre", ["01"])],
}

_UTILITY_FORM = form(
    "代缴水电费登记",
    required=["applicant_name", "contact_phone", "account_type", "account_number"],
    optional=["residence_address"],
    extra={
        "account_type": choice("缴费类型", ["水费", "电费", "燃气费", "有线电视费"]),
        "account_number": s("缴费户号"),
    },
)

UTILITY_PAYMENT: dict[str, Any] = {
    "key": "utility_payment",
    "basic_code": "210050005000",
    "name": "代缴水电费",
    "item_type": "21",
    "owner": "wx_mzj",
    "levels": ["village", "town"],
    "convenience": True,
    "legal_basis": [STANDARDISATION],
    "tags": ["jiujin", "bangban", "mashang"],
    "topics": ["le_elderly", "le_housing"],
    "guide": {
        "audience": "person",
        "handling_kind": "immediate",
        "service_content": (
            "为村（社区）居民特别是老年人、残疾人提供水费、电费、燃气费、有线电视费的查询和代缴服务，"
            "协助开通银行代扣或手机缴费。"
        ),
        "management_requirements": (
            "1. 由村便民服务室代办员办理，当场出具缴费凭证；\n"
            "2. 代缴资金当面点清、当日缴清，建立代缴台账，每月公示；\n"
            "3. 不收取任何手续费，不得代管居民的银行卡和密码；\n"
            "4. 涉及的居民信息按规定保管，不得泄露。"
        ),
        "promised_limit": 0,
        "promised_note": "当场办结。",
        "variants": [variant("pay", "代缴", _UTILITY_FORM)],
        "materials": [
            mat(
                "account_number",
                "缴费户号或上期缴费凭证",
                necessity="optional",
                acceptance_standard="能查询到缴费户即可。",
            ),
        ],
        "steps": [
            step("accept", 0, "代办员受理，查询欠费金额。"),
            step("review", 0, "与居民核对户号和金额。", name="核对"),
            step("deliver", 0, "当场缴费并交付缴费凭证。", name="缴费"),
        ],
        "fees": [],
        "faqs": [],
    },
    "impls": [impl("hs_gov", "320281107202", "hx2_room", ["01"])],
}

_PENSION_FORM = form(
    "城乡居民基本养老保险参保登记表",
    required=[
        "applicant_name",
        "applicant_id_number",
        "contact_phone",
        "household_address",
        "contribution_grade",
    ],
    extra={
        "contribution_grade": choice(
            "缴费档次（元/年）", ["300", "500", "800", "1000", "1500", "2000", "3000", "5000"]
        )
    },
)

RESIDENT_PENSION: dict[str, Any] = {
    "key": "resident_pension",
    "basic_code": "210070007000",
    "name": "城乡居民基本养老保险参保登记",
    "item_type": "21",
    "owner": "wx_rsj",
    "levels": ["village", "town", "county"],
    "convenience": True,
    "legal_basis": [
        law(
            "《中华人民共和国社会保险法》",
            "第二十条",
            "国家建立和完善新型农村社会养老保险制度。新型农村社会养老保险实行个人缴费、集体补助和政府补贴"
            "相结合。",
        ),
        law(
            "《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）",
            "",
            "年满16周岁（不含在校学生），非国家机关和事业单位工作人员及不属于职工基本养老保险制度覆盖范围的"
            "城乡居民，可以在户籍地参加城乡居民养老保险。",
        ),
        STANDARDISATION,
    ],
    "tags": ["jiujin", "bangban", "mashang"],
    "topics": ["le_elderly", "le_job"],
    "guide": {
        "audience": "person",
        "handling_kind": "immediate",
        "service_content": (
            "为年满16周岁（不含在校学生）、未参加职工基本养老保险的本地户籍城乡居民办理城乡居民基本养老保险"
            "参保登记，协助选择缴费档次、签订银行代扣协议。"
        ),
        "management_requirements": (
            "1. 村（社区）便民服务站代收材料、录入信息，镇人社所审核；\n"
            "2. 当场告知缴费档次、政府补贴标准和待遇领取条件；\n"
            "3. 不得代替居民选择缴费档次，不得收取任何费用；\n"
            "4. 参保信息录入系统后由镇人社所复核，确保不重复参保。"
        ),
        "promised_limit": 0,
        "promised_note": "当场完成参保登记。",
        "variants": [variant("enrol", "参保登记", _PENSION_FORM)],
        "materials": [
            id_card(),
            mat(
                "bank_card",
                "本人社会保障卡",
                kind="certificate",
                source="government",
                necessity="optional",
                acceptance_standard="用于签订缴费代扣协议。",
            ),
        ],
        "steps": [
            step("accept", 0, "便民服务站代办员受理，核验身份。", name="代办受理"),
            step("review", 0, "查询参保状态，排除重复参保。", name="核验"),
            step("decide", 0, "录入参保信息，镇人社所复核。", name="登记"),
            step("deliver", 0, "告知缴费方式和档次。", name="告知"),
        ],
        "fees": [],
        "faqs": [],
    },
    "impls": [impl("xs_rsj", "320205106002", "gx_station", ["01"])],
}

ENTRIES: list[dict[str, Any]] = [ELDERLY_CARD, UTILITY_PAYMENT, RESIDENT_PENSION]
