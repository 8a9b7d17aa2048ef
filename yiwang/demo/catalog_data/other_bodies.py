"""Tobacco monopoly retail licences and disability certificates: bodies the
demo city does not list, added by the catalogue loader (SUPPLEMENTARY_AGENCIES)."""

from __future__ import annotations

from typing import Any

from yiwang.demo.catalog_data.common import (
    app_form,
    business_licence,
    certificate,
    choice,
    faqs,
    form,
    household_register,
    id_card,
    impl,
    law,
    mat,
    num,
    premises_proof,
    proxy_papers,
    s,
    standard_steps,
    step,
    variant,
)

_TOBACCO_FORM = form(
    "烟草专卖零售许可证申请表",
    required=[
        "entity_name",
        "credit_code",
        "applicant_name",
        "applicant_id_number",
        "business_address",
        "contact_phone",
        "shop_type",
        "business_area",
    ],
    optional=["funds"],
    extra={
        "shop_type": choice(
            "经营业态", ["便利店", "超市", "食杂店", "烟酒商店", "娱乐服务类场所", "其他"]
        ),
        "funds": num("资金数额（万元）"),
    },
)

TOBACCO_RETAIL: dict[str, Any] = {
    "key": "tobacco_retail",
    "basic_code": "010230001000",
    "name": "烟草专卖零售许可证核发",
    "item_type": "01",
    "owner": "wx_ycj",
    "levels": ["county", "city"],
    "legal_basis": [
        law(
            "《中华人民共和国烟草专卖法》",
            "第十六条",
            "经营烟草制品零售业务的企业或者个人，由县级人民政府工商行政管理部门根据上一级烟草专卖行政主管部门"
            "的委托，审查批准发给烟草专卖零售许可证。已经设立县级烟草专卖行政主管部门的地方，"
            "也可以由县级烟草专卖行政主管部门审查批准发给烟草专卖零售许可证。",
        ),
        law(
            "《烟草专卖许可证管理办法》（工业和信息化部令第37号）",
            "",
            "申请烟草专卖零售许可证应当具备与经营烟草制品零售业务相适应的资金、固定的经营场所，符合烟草制品"
            "零售点合理布局的要求；许可机关应当自受理申请之日起20个工作日内作出决定。",
        ),
    ],
    "tags": ["wangshang", "mianzheng"],
    "topics": ["th_startup"],
    "guide": {
        "audience": "both",
        "acceptance_conditions": (
            "1. 已取得营业执照，有与经营烟草制品零售业务相适应的资金；\n"
            "2. 有固定的经营场所，经营场所不在中小学校、幼儿园周边规定范围内；\n"
            "3. 符合本市烟草制品零售点合理布局规定；\n"
            "4. 申请人无烟草专卖违法行为被处罚且未满规定期限的情形。"
        ),
        "statutory_limit": 20,
        "statutory_note": "自受理申请之日起20个工作日内作出决定（《烟草专卖许可证管理办法》）。",
        "promised_limit": 10,
        "promised_note": "自受理之日起10个工作日内办结（实地核查时间不计入）。",
        "result_name": "烟草专卖零售许可证",
        "result_type": "证照",
        "online_depth": 3,
        "onsite_trips": 1,
        "variants": [
            variant("new", "新办", _TOBACCO_FORM),
            variant("change", "变更", _TOBACCO_FORM),
            variant("renew", "延续", _TOBACCO_FORM),
        ],
        "materials": [
            app_form("烟草专卖零售许可证申请表"),
            business_licence(),
            id_card("经营者（负责人）", code="operator_id"),
            premises_proof(),
            certificate(
                "tobacco_licence",
                "烟草专卖零售许可证",
                "tobacco_retail_licence",
                "烟草专卖行政主管部门核发",
                "原许可证；变更、延续时提交。",
                variant="change",
            ),
            proxy_papers(),
        ],
        "steps": standard_steps(
            accept=0,
            review=3,
            decide=2,
            certify=1,
            deliver=1,
            special=[
                step(
                    "inspect",
                    5,
                    "实地核查经营场所及周边中小学校、零售点布局情况；核查时间不计入许可期限。",
                    name="实地核查",
                )
            ],
        ),
        "fees": [],
        "faqs": faqs(
            (
                "学校附近的小店可以申请卖烟吗？",
                "不可以。中小学校、幼儿园周边规定范围内不予发放烟草专卖零售许可证。",
            ),
            (
                "零售许可证有效期多久？",
                "有效期届满需要继续经营的，应当在有效期届满30日前申请延续。",
            ),
        ),
    },
    "impls": [
        impl(
            "wx_ycj",
            "320200",
            "",
            address="无锡市烟草专卖局专卖许可服务窗口（无锡市民中心政务服务大厅（无锡市经开区观山路199号）内）",
        )
    ],
}

_DISABILITY_FORM = form(
    "中华人民共和国残疾人证申请表",
    required=[
        "applicant_name",
        "applicant_id_number",
        "contact_phone",
        "household_address",
        "disability_category",
    ],
    optional=["guardian_name", "residence_address"],
    extra={
        "disability_category": choice(
            "申请评定的残疾类别",
            ["视力残疾", "听力残疾", "言语残疾", "肢体残疾", "智力残疾", "精神残疾", "多重残疾"],
        ),
        "guardian_name": s("监护人或代办人姓名"),
    },
)

DISABILITY_CERTIFICATE: dict[str, Any] = {
    "key": "disability_certificate",
    "basic_code": "210240001000",
    "name": "残疾人证办理",
    "item_type": "21",
    "owner": "wx_cl",
    "levels": ["county", "city"],
    "legal_basis": [
        law(
            "《中华人民共和国残疾人保障法》",
            "第二条",
            "残疾人是指在心理、生理、人体结构上，某种组织、功能丧失或者不正常，全部或者部分丧失以正常方式"
            "从事某种活动能力的人。残疾标准由国务院规定。",
        ),
        law(
            "《中华人民共和国残疾人证管理办法》",
            "",
            "残疾人证由县级残疾人联合会审核发放，残疾评定由指定的医疗机构按照国家标准进行。",
        ),
    ],
    "tags": ["kuasheng", "jiujin", "bangban", "wangshang"],
    "topics": ["le_aid"],
    "guide": {
        "audience": "person",
        "general_area": "全国（残疾人证新办跨省通办）",
        "legal_remedy": (
            "对残疾评定结论有异议的，可以自收到评定结论之日起30日内向原受理的残疾人联合会申请复评，"
            "由其另行指定评定机构评定；对不予发证或办理服务有异议的，可以向无锡市残疾人联合会提出复核，"
            "或拨打12385残疾人服务热线、12345政务服务便民热线反映；认为行政机关的行政行为侵犯其合法权益的，"
            "可以依法申请行政复议或者提起行政诉讼。"
        ),
        "acceptance_conditions": (
            "1. 具有本地户籍，或者在本地居住并申请跨省通办；\n"
            "2. 符合《残疾人残疾分类和分级》（GB/T 26341）规定的残疾标准；\n"
            "3. 经残联指定的医疗机构评定残疾类别和等级。"
        ),
        "promised_limit": 15,
        "promised_note": "自收到评定结果之日起15个工作日内审核发证（评定时间不计入）。",
        "result_name": "中华人民共和国残疾人证（含电子证照）",
        "result_type": "证照",
        "online_depth": 3,
        "onsite_trips": 1,
        "variants": [
            variant("new", "新办", _DISABILITY_FORM),
            variant("change", "换领（等级变更）", _DISABILITY_FORM),
        ],
        "materials": [
            app_form("中华人民共和国残疾人证申请表"),
            id_card(filling_notes="未成年人可提交户口簿。"),
            household_register(necessity="optional"),
            mat(
                "photos",
                "近期2寸免冠彩色照片",
                copies=2,
                page_format="2寸",
                acceptance_standard="白色背景；肢体残疾人须提交能显示残疾部位的全身照1张。",
            ),
            mat(
                "assessment",
                "残疾评定表",
                kind="certificate",
                source="other",
                source_note="由残联指定的评定医疗机构出具，评定结果在线推送",
                acceptance_standard="评定医师签字并加盖评定机构公章。",
            ),
            certificate(
                "old_certificate",
                "原残疾人证",
                "disability_certificate",
                "残疾人联合会核发",
                "换领时交回原证。",
                variant="change",
            ),
        ],
        "steps": [
            step("accept", 0, "户籍所在地或居住地残联、乡镇（街道）受理，开具评定介绍信。"),
            step(
                "appraise",
                20,
                "到指定医疗机构进行残疾评定，评定时间不计入办理时限。",
                name="残疾评定",
            ),
            step("review", 5, "县级残联审核评定结果。", name="审核"),
            step("decide", 5, "对符合标准的作出发证决定。", name="审批"),
            step("certify", 3, "制作残疾人证，同步生成电子证照。"),
            step("deliver", 2, "邮寄或窗口发放。"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "残疾评定要收费吗？",
                "本市残疾评定费用由残联承担，申请人不需缴费。",
            ),
            (
                "户口在外省，在无锡能办残疾人证吗？",
                "可以。残疾人证新办已实现跨省通办，可在居住地残联申请，评定后由户籍地残联审核发证。",
            ),
        ),
    },
    "impls": [
        impl(
            "wx_cl",
            "320200",
            "",
            address="无锡市残疾人联合会服务窗口（无锡市民中心政务服务大厅（无锡市经开区观山路199号）内）；"
            "各乡镇（街道）便民服务中心代为受理",
        )
    ],
}

ENTRIES: list[dict[str, Any]] = [TOBACCO_RETAIL, DISABILITY_CERTIFICATE]
