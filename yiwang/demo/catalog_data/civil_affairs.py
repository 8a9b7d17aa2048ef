"""民政: marriage registration, subsistence allowance, old-age allowance."""

from __future__ import annotations

from typing import Any

from yiwang.demo.catalog_data.common import (
    app_form,
    faqs,
    form,
    household_register,
    id_card,
    impl,
    law,
    mat,
    num,
    proxy_papers,
    s,
    step,
    variant,
)

NO_STATUTORY = "法律、行政法规未规定办理时限，按照本省社会救助和社会福利工作规程执行。"

_MARRIAGE_FORM = form(
    "申请结婚登记声明书",
    required=[
        "male_name",
        "male_id_number",
        "female_name",
        "female_id_number",
        "contact_phone",
        "appointment_date",
    ],
    extra={
        "male_name": s("男方姓名"),
        "male_id_number": s("男方公民身份号码", pattern="^[0-9]{17}[0-9X]$"),
        "female_name": s("女方姓名"),
        "female_id_number": s("女方公民身份号码", pattern="^[0-9]{17}[0-9X]$"),
        "appointment_date": s("预约登记日期", format="date"),
    },
)

MARRIAGE: dict[str, Any] = {
    "key": "marriage",
    "basic_code": "070050001000",
    "name": "结婚登记",
    "item_type": "07",
    "owner": "wx_mzj",
    "levels": ["county"],
    "legal_basis": [
        law(
            "《中华人民共和国民法典》",
            "第一千零四十九条",
            "要求结婚的男女双方应当亲自到婚姻登记机关申请结婚登记。符合本法规定的，予以登记，发给结婚证。"
            "完成结婚登记，即确立婚姻关系。",
        ),
        law(
            "《中华人民共和国民法典》",
            "第一千零四十七条",
            "结婚年龄，男不得早于二十二周岁，女不得早于二十周岁。",
        ),
        law(
            "《婚姻登记条例》（2025年修订）",
            "",
            "内地居民结婚，男女双方应当共同到任一具有办理婚姻登记权限的婚姻登记机关办理结婚登记；"
            "婚姻登记机关对当事人符合结婚条件的，应当当场予以登记，发给结婚证。",
        ),
    ],
    "tags": ["kuasheng", "mashang", "jiujin"],
    "topics": ["le_marriage"],
    "guide": {
        "audience": "person",
        "handling_kind": "immediate",
        "general_area": "全国（内地居民结婚登记全国通办）",
        "acceptance_conditions": (
            "1. 男方年满22周岁，女方年满20周岁；\n"
            "2. 双方完全自愿，均无配偶；\n"
            "3. 双方没有直系血亲和三代以内旁系血亲关系；\n"
            "4. 双方为内地居民，共同亲自到场，不得委托他人代办。"
        ),
        "statutory_limit": 0,
        "statutory_note": "符合结婚条件的，婚姻登记机关应当当场予以登记，发给结婚证。",
        "promised_limit": 0,
        "promised_note": "当场办结，可预约颁证仪式。",
        "result_name": "结婚证",
        "result_type": "证照",
        "delivery_ways": ["window"],
        "online": True,
        "online_depth": 1,
        "onsite_trips": 1,
        "appointment": True,
        "variants": [variant("register", "结婚登记", _MARRIAGE_FORM)],
        "materials": [
            id_card("男女双方", code="both_id"),
            app_form(
                "申请结婚登记声明书",
                form="paper",
                copies=2,
                acceptance_standard="双方在婚姻登记员面前亲自签署，声明本人无配偶以及与对方没有直系血亲和"
                "三代以内旁系血亲关系。",
                filling_notes="在登记现场由婚姻登记员指导填写，不得代签。",
            ),
            mat(
                "photos",
                "双方近期半身免冠合影照片",
                form="paper",
                copies=3,
                page_format="2寸",
                source="applicant",
                acceptance_standard="2寸红色背景合影，也可在登记处现场免费拍摄。",
            ),
        ],
        "steps": [
            step("accept", 0, "核验双方身份证件，询问结婚意愿。"),
            step("review", 0, "查询婚姻登记信息，审查是否符合结婚条件。"),
            step("decide", 0, "双方在婚姻登记员面前签署声明，予以登记。", name="登记"),
            step("certify", 0, "打印结婚证，加盖婚姻登记专用章。"),
            step("deliver", 0, "颁发结婚证，可举行颁证仪式。", name="颁证"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "户口不在无锡，可以在无锡登记结婚吗？",
                "可以。内地居民结婚登记已实现全国通办，双方持居民身份证即可到任一婚姻登记机关办理，无需户口簿。",
            ),
            (
                "可以预约特定日期吗？",
                "可以通过“苏服办”App或婚姻登记预约平台预约，特殊日期号源有限，建议提前预约。",
            ),
        ),
    },
    "impls": [
        impl(
            "lx_mzj",
            "320213",
            "lx_hall",
            ["01"],
            address="无锡市梁溪区婚姻登记处（梁溪区政务服务中心大厅（无锡市梁溪区）内婚姻登记区及颁证厅）",
        )
    ],
}

_ALLOWANCE_FORM = form(
    "最低生活保障申请书",
    required=[
        "applicant_name",
        "applicant_id_number",
        "contact_phone",
        "household_address",
        "family_size",
        "monthly_income",
        "apply_reason",
        "bank_name",
        "bank_account",
    ],
    optional=["residence_address"],
    extra={
        "family_size": {"type": "integer", "title": "共同生活家庭成员人数", "minimum": 1},
        "monthly_income": num("家庭月总收入（元）"),
    },
)

SUBSISTENCE: dict[str, Any] = {
    "key": "subsistence",
    "basic_code": "050050002000",
    "name": "最低生活保障审核确认",
    "item_type": "05",
    "owner": "wx_mzj",
    "levels": ["county", "town"],
    "legal_basis": [
        law(
            "《社会救助暂行办法》",
            "第九条",
            "国家对共同生活的家庭成员人均收入低于当地最低生活保障标准，且符合当地最低生活保障家庭财产状况"
            "规定的家庭，给予最低生活保障。",
        ),
        law(
            "《社会救助暂行办法》",
            "第十一条",
            "申请最低生活保障，由共同生活的家庭成员向户籍所在地的乡镇人民政府、街道办事处提出书面申请；"
            "乡镇人民政府、街道办事处通过入户调查、邻里访问、信函索证、群众评议、信息查询等方式进行调查核实，"
            "县级人民政府民政部门审批，审核结果在申请人所在村、社区公示。",
        ),
        law(
            "《最低生活保障审核确认办法》（民发〔2021〕57号）",
            "",
            "规定最低生活保障的申请、受理、家庭经济状况调查、审核确认、公示和动态管理。",
        ),
    ],
    "tags": ["jiujin", "bangban", "wangshang"],
    "topics": ["le_aid"],
    "guide": {
        "audience": "person",
        "acceptance_conditions": (
            "1. 申请人具有本地户籍，或者符合本地规定的持有居住证人员；\n"
            "2. 共同生活的家庭成员人均月收入低于当地最低生活保障标准；\n"
            "3. 家庭财产状况符合本地最低生活保障家庭财产状况规定；\n"
            "4. 共同生活的家庭成员如实申报收入、财产状况，并授权开展家庭经济状况核对。"
        ),
        "statutory_limit": 30,
        "statutory_note": "自受理申请之日起30个工作日内完成审核确认（《最低生活保障审核确认办法"
        "》），"
        "特殊情况可延长至45个工作日。",
        "promised_limit": 20,
        "promised_note": "自受理之日起20个工作日内完成审核确认，公示时间不计入。",
        "result_name": "最低生活保障审核确认决定",
        "result_type": "批文",
        "delivery_ways": ["window", "mail"],
        "online_depth": 3,
        "onsite_trips": 1,
        "variants": [variant("apply", "申请", _ALLOWANCE_FORM)],
        "materials": [
            app_form("最低生活保障申请书"),
            id_card("共同生活家庭成员", code="family_ids"),
            household_register(),
            mat(
                "verification_authorisation",
                "家庭经济状况核对授权书",
                kind="form",
                acceptance_standard="共同生活的家庭成员（成年人）本人签字授权民政部门核对收入、财产信息。",
            ),
            mat(
                "income_statement",
                "家庭收入、财产状况申报及承诺",
                kind="form",
                acceptance_standard="如实申报工资、经营、财产性收入和存款、房产、车辆等，签字承诺。",
            ),
            mat(
                "special_proof",
                "残疾、重病等特殊情况证明",
                necessity="deferrable",
                source="other",
                source_note="容缺后补：可在入户调查时补交",
                acceptance_standard="残疾人证、诊断证明等。",
            ),
            proxy_papers(),
        ],
        "steps": [
            step("accept", 0, "乡镇（街道）或网上受理，材料不全的一次性告知。"),
            step(
                "survey",
                10,
                "入户调查、邻里访问，开展家庭经济状况信息核对。",
                name="家庭经济状况调查",
                special=False,
            ),
            step("review", 5, "提出审核意见，必要时组织民主评议。", name="审核"),
            step(
                "notice",
                7,
                "审核确认意见在申请人所在村（社区）公示7天；公示时间不计入办理时限。",
                name="公示",
                unit="natural_days",
            ),
            step("decide", 3, "作出准予或不予最低生活保障的决定。", name="确认"),
            step("certify", 1, "出具审核确认决定书。", name="出具决定"),
            step("deliver", 1, "书面送达，准予的从次月起按月发放。"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "不是本地户籍可以申请低保吗？",
                "持有本市居住证、在本市居住满规定年限的，可以按本市规定在经常居住地申请。",
            ),
            (
                "享受低保后收入增加了怎么办？",
                "应当主动告知乡镇（街道），民政部门定期核查，收入超过标准的按规定停发或减发；"
                "就业后收入增加的可以享受“渐退期”政策。",
            ),
        ),
    },
    "impls": [
        impl("lx_mzj", "320213", "lx_hall", ["01"]),
        impl(
            "yx_mzj",
            "320282",
            "",
            address="宜兴市政务服务中心社会救助窗口（江苏省宜兴市）；也可在户籍所在地镇（街道）便民服务中心申请",
        ),
    ],
}

_ELDERLY_FORM = form(
    "高龄津贴申领表",
    required=[
        "applicant_name",
        "applicant_id_number",
        "contact_phone",
        "household_address",
        "bank_name",
        "bank_account",
    ],
    optional=["guardian_name"],
    extra={"guardian_name": s("代办人姓名")},
)

OLD_AGE_ALLOWANCE: dict[str, Any] = {
    "key": "old_age_allowance",
    "basic_code": "050050003000",
    "name": "高龄津贴申领",
    "item_type": "05",
    "owner": "wx_mzj",
    "levels": ["county", "town"],
    "legal_basis": [
        law(
            "《中华人民共和国老年人权益保障法》",
            "第三十三条",
            "国家建立和完善老年人福利制度，根据经济社会发展水平和老年人的实际需要，增加老年人的社会福利。"
            "国家鼓励地方建立八十周岁以上低收入老年人高龄津贴制度。",
        ),
        law(
            "《江苏省老年人权益保障条例》",
            "",
            "县级以上地方人民政府建立高龄津贴制度，对八十周岁以上老年人按月发放。",
        ),
    ],
    "tags": ["jiujin", "mianzheng", "wangshang", "bangban"],
    "topics": ["le_elderly"],
    "guide": {
        "audience": "person",
        "acceptance_conditions": (
            "1. 具有本地户籍；\n"
            "2. 年满80周岁（自满80周岁的当月起计发）；\n"
            "3. 本人或其委托的代办人提出申请；已实现信息比对“免申即享”的无需申请，由系统自动纳入。"
        ),
        "statutory_limit": 20,
        "statutory_note": NO_STATUTORY,
        "promised_limit": 10,
        "promised_note": "自受理之日起10个工作日内审核，次月起按月发放至本人社会保障卡或银行账户。",
        "result_name": "高龄津贴发放确认",
        "result_type": "其他",
        "delivery_ways": ["electronic", "window"],
        "online_depth": 3,
        "onsite_trips": 0,
        "variants": [variant("apply", "申领", _ELDERLY_FORM)],
        "materials": [
            id_card("老年人"),
            mat(
                "bank_card",
                "本人社会保障卡或银行卡",
                kind="certificate",
                necessity="optional",
                source="government",
                acceptance_standard="用于发放津贴，已绑定社会保障卡金融账户的无需提交。",
            ),
            proxy_papers(),
        ],
        "steps": [
            step("accept", 0, "村（社区）代办或镇（街道）、网上受理。"),
            step("review", 5, "核对户籍、年龄和生存状态。", name="审核"),
            step("decide", 3, "确认发放资格和标准。", name="确认"),
            step("certify", 0, "纳入发放名册。", name="纳入名册"),
            step("deliver", 0, "次月起按月发放。", name="发放"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "高龄津贴每月发多少？",
                "按年龄段分档发放，具体标准以本地人民政府公布的标准为准。",
            ),
            (
                "老人行动不便怎么办？",
                "可由家属或村（社区）代办员代为申请；已实现“免申即享”的，满80周岁自动纳入发放，无需申请。",
            ),
        ),
    },
    "impls": [
        impl("lx_mzj", "320213", "lx_hall", ["01"]),
        impl(
            "yx_mzj",
            "320282",
            "",
            address="宜兴市政务服务中心民政窗口（江苏省宜兴市）；也可在户籍所在地镇（街道）便民服务中心申请",
        ),
    ],
}

ENTRIES: list[dict[str, Any]] = [MARRIAGE, SUBSISTENCE, OLD_AGE_ALLOWANCE]
