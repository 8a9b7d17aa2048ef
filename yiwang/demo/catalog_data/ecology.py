"""生态环境: pollutant discharge permits and EIA report-form approval."""

from __future__ import annotations

from typing import Any

from yiwang.demo.catalog_data.common import (
    app_form,
    business_licence,
    choice,
    faqs,
    form,
    impl,
    law,
    mat,
    num,
    proxy_papers,
    s,
    standard_steps,
    step,
    variant,
)

_PERMIT_FORM = form(
    "排污许可证申请表",
    required=[
        "entity_name",
        "credit_code",
        "legal_rep_name",
        "business_address",
        "contact_phone",
        "management_class",
        "industry",
        "main_pollutants",
    ],
    optional=["employee_count"],
    extra={
        "management_class": choice("管理类别", ["重点管理", "简化管理"]),
        "industry": s("行业类别（国民经济行业分类）"),
        "main_pollutants": s("主要污染物种类", maxLength=300),
    },
)

POLLUTION_PERMIT: dict[str, Any] = {
    "key": "pollution_permit",
    "basic_code": "010140001000",
    "name": "排污许可",
    "item_type": "01",
    "owner": "wx_sthj",
    "levels": ["city"],
    "legal_basis": [
        law(
            "《中华人民共和国环境保护法》",
            "第四十五条",
            "国家依照法律规定实行排污许可管理制度。实行排污许可管理的企业事业单位和其他生产经营者应当按照"
            "排污许可证的要求排放污染物；未取得排污许可证的，不得排放污染物。",
        ),
        law(
            "《排污许可管理条例》",
            "第二条",
            "依照法律规定实行排污许可管理的企业事业单位和其他生产经营者，应当依照本条例规定申请取得排污"
            "许可证；未取得排污许可证的，不得排放污染物。",
        ),
    ],
    "tags": ["wangshang"],
    "topics": ["th_environment", "th_production"],
    "guide": {
        "audience": "entity",
        "acceptance_conditions": (
            "1. 属于《固定污染源排污许可分类管理名录》规定的重点管理或简化管理排污单位；\n"
            "2. 依法取得建设项目环境影响评价文件审批意见，或者按照规定办理了环境影响登记表备案；\n"
            "3. 污染物排放符合污染物排放标准要求，重点污染物排放符合排污许可证申请与核发技术规范、"
            "环境影响评价文件审批意见确定的排放总量控制指标；\n"
            "4. 采用的污染防治设施或者措施有能力达到许可排放浓度要求；\n"
            "5. 自行监测方案符合规定。"
        ),
        "statutory_limit": 30,
        "statutory_note": "重点管理的自受理申请之日起30日内、简化管理的20日内作出审批决定；"
        "需要进行现场"
        "核查的45日内作出审批决定（《排污许可管理条例》）。",
        "promised_limit": 15,
        "promised_note": "自受理之日起15个工作日内办结（现场核查时间不计入）。",
        "result_name": "排污许可证",
        "result_type": "证照",
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [
            variant("new", "首次申请", _PERMIT_FORM),
            variant("change", "变更", _PERMIT_FORM),
            variant("renew", "延续", _PERMIT_FORM),
        ],
        "materials": [
            app_form(
                "排污许可证申请表",
                form="electronic",
                filling_notes="通过全国排污许可证管理信息平台填报，含排污口位置、排放方式、排放去向、"
                "自行监测方案等。",
            ),
            business_licence(),
            mat(
                "pledge",
                "守法承诺书",
                kind="form",
                acceptance_standard="法定代表人或主要负责人签字，承诺按证排污、如实记录和报告。",
            ),
            mat(
                "eia_approval",
                "建设项目环境影响评价文件审批意见或登记表备案材料",
                kind="certificate",
                source="government",
                acceptance_standard="通过部门共享获取的无需提交；2015年1月1日前已建成投产的按规定提交说明。",
            ),
            mat(
                "monitoring_plan",
                "自行监测方案",
                form="electronic",
                acceptance_standard="监测点位、指标、频次符合技术规范。",
            ),
            mat(
                "public_info",
                "申请前信息公开情况说明",
                necessity="optional",
                acceptance_standard="重点管理排污单位提交，公开时间不少于5个工作日。",
            ),
            proxy_papers(),
        ],
        "steps": standard_steps(
            accept=0,
            review=8,
            decide=3,
            certify=2,
            deliver=2,
            special=[
                step(
                    "inspect",
                    15,
                    "需要对排污单位的污染防治设施、排放口等进行现场核查的，核查时间不计入审批期限。",
                )
            ],
        ),
        "fees": [],
        "faqs": faqs(
            (
                "排污许可证有效期多久？",
                "有效期为5年。需要延续的，应当在有效期届满60日前向审批部门提出申请。",
            ),
            (
                "登记管理的单位需要申请排污许可证吗？",
                "不需要。实行登记管理的排污单位，在全国排污许可证管理信息平台填报排污登记表即可。",
            ),
        ),
    },
    "impls": [impl("wx_sthj", "320200", "wx_hall", ["01"])],
}

_EIA_FORM = form(
    "建设项目环境影响报告表审批申请",
    required=[
        "entity_name",
        "credit_code",
        "legal_rep_name",
        "contact_phone",
        "project_name",
        "project_code",
        "construction_site",
        "total_investment",
        "environmental_investment",
        "eia_agency",
    ],
    extra={
        "environmental_investment": num("环保投资（万元）"),
        "eia_agency": s("环境影响报告表编制单位"),
    },
)

EIA_REPORT_FORM: dict[str, Any] = {
    "key": "eia_report_form",
    "basic_code": "010140002000",
    "name": "建设项目环境影响报告表审批",
    "item_type": "01",
    "owner": "wx_sthj",
    "levels": ["county", "city"],
    "legal_basis": [
        law(
            "《中华人民共和国环境影响评价法》",
            "第二十二条",
            "建设项目的环境影响报告书、报告表，由建设单位按照国务院的规定报有审批权的生态环境主管部门审批。"
            "审批部门应当自收到环境影响报告书之日起六十日内，收到环境影响报告表之日起三十日内，分别作出审批"
            "决定并书面通知建设单位。",
        ),
        law(
            "《建设项目环境保护管理条例》",
            "第九条",
            "依法应当编制环境影响报告书、环境影响报告表的建设项目，建设单位应当在开工建设前将环境影响报告书、"
            "环境影响报告表报有审批权的环境保护行政主管部门审批。",
        ),
    ],
    "tags": ["wangshang", "bangban"],
    "topics": ["th_construction", "th_environment"],
    "guide": {
        "audience": "entity",
        "acceptance_conditions": (
            "1. 建设项目依照《建设项目环境影响评价分类管理名录》应当编制环境影响报告表；\n"
            "2. 项目类型及其选址、布局、规模等符合环境保护法律法规和相关法定规划；\n"
            "3. 所在区域环境质量满足相应环境功能区划要求，或采取措施后能满足区域环境质量改善目标"
            "；\n"
            "4. 采取的污染防治措施能确保污染物排放达到国家和地方排放标准；\n"
            "5. 报告表由具备能力的单位编制，基础资料数据真实，评价结论明确合理。"
        ),
        "statutory_limit": 30,
        "statutory_note": "自收到环境影响报告表之日起三十日内作出审批决定（《中华人民共和国环境"
        "影响评价法》"
        "第二十二条），技术评估和公示时间不计入。",
        "promised_limit": 10,
        "promised_note": "自受理之日起10个工作日内办结（技术评估、公示时间不计入）。",
        "result_name": "建设项目环境影响报告表的批复",
        "result_type": "批文",
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [variant("approve", "审批", _EIA_FORM)],
        "materials": [
            app_form("建设项目环境影响报告表审批申请函"),
            mat(
                "eia_report",
                "建设项目环境影响报告表（全本及删除涉密内容的公开版本）",
                acceptance_standard="编制单位和编制人员信息与环境影响评价信用平台一致，由建设单位盖章确认。",
            ),
            mat(
                "disclosure_note",
                "公开版本删除内容的说明",
                necessity="optional",
                acceptance_standard="涉及国家秘密、商业秘密和个人隐私而删除的，说明删除依据和理由。",
            ),
            business_licence(),
        ],
        "steps": standard_steps(
            accept=0,
            review=4,
            decide=2,
            certify=1,
            deliver=1,
            special=[
                step(
                    "expert",
                    10,
                    "组织技术评估或专家评审；受理后公开报告表全本，拟审批前公示5个工作日。"
                    "评估和公示时间不计入审批期限。",
                    name="技术评估与公示",
                )
            ],
        ),
        "fees": [],
        "faqs": faqs(
            (
                "环评报告表可以自己编吗？",
                "建设单位具备环境影响评价技术能力的，可以自行编制；也可以委托技术单位编制，建设单位对报告表的"
                "内容和结论负责。",
            ),
            (
                "哪些项目可以不做环评审批？",
                "按照分类管理名录只需填报环境影响登记表的项目实行备案管理，不需审批。",
            ),
        ),
    },
    "impls": [impl("wx_spj", "320200", "wx_hall", ["01"])],
}

ENTRIES: list[dict[str, Any]] = [POLLUTION_PERMIT, EIA_REPORT_FORM]
