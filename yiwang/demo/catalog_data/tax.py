"""税务: new taxpayers' package and invoices."""

from __future__ import annotations

from typing import Any

from yiwang.demo.catalog_data.common import (
    business_licence,
    choice,
    faqs,
    form,
    id_card,
    impl,
    law,
    mat,
    num,
    step,
    variant,
)

_NEW_TAXPAYER_FORM = form(
    "新办纳税人涉税事项综合申请表",
    required=[
        "entity_name",
        "credit_code",
        "legal_rep_name",
        "legal_rep_id_number",
        "business_address",
        "contact_phone",
        "finance_manager",
        "tax_agent",
        "accounting_system",
    ],
    optional=["general_taxpayer", "invoice_needed", "bank_name", "bank_account"],
    extra={
        "finance_manager": {"type": "string", "title": "财务负责人姓名"},
        "tax_agent": {"type": "string", "title": "办税人员姓名"},
        "accounting_system": choice(
            "适用的会计制度", ["小企业会计准则", "企业会计准则", "个体工商户会计制度", "其他"]
        ),
        "general_taxpayer": {"type": "boolean", "title": "同时登记为增值税一般纳税人"},
        "invoice_needed": {"type": "boolean", "title": "同步申领发票"},
    },
)

NEW_TAXPAYER: dict[str, Any] = {
    "key": "new_taxpayer",
    "basic_code": "200220001000",
    "name": "新办纳税人“套餐式”服务（涉税信息确认）",
    "item_type": "20",
    "owner": "wx_swj",
    "levels": ["county", "city"],
    "legal_basis": [
        law(
            "《中华人民共和国税收征收管理法》",
            "第十五条",
            "企业，企业在外地设立的分支机构和从事生产、经营的场所，个体工商户和从事生产、经营的事业单位，"
            "自领取营业执照之日起三十日内，持有关证件，向税务机关申报办理税务登记。税务机关应当于收到申报"
            "的当日办理登记并发给税务登记证件。",
        ),
        law(
            "《税务登记管理办法》（国家税务总局令第7号）",
            "",
            "规定设立登记、变更登记、停业复业登记、注销登记等。实行“多证合一、一照一码”后，"
            "营业执照作为税务登记证件使用。",
        ),
    ],
    "tags": ["mashang", "wangshang", "mianzheng", "miaoban"],
    "topics": ["th_startup", "th_tax"],
    "guide": {
        "audience": "entity",
        "handling_kind": "immediate",
        "acceptance_conditions": (
            "1. 已领取营业执照的新办企业、个体工商户等纳税人；\n"
            "2. 法定代表人（负责人）、财务负责人、办税人员已完成实名认证；\n"
            "3. 一次提交即可办理登记信息确认、财务会计制度备案、税（费）种认定、"
            "增值税一般纳税人登记、"
            "发票票种核定及开具额度确定等事项。"
        ),
        "statutory_limit": 1,
        "statutory_note": "税务机关应当于收到申报的当日办理登记（《中华人民共和国税收征收管理法"
        "》第十五条）。",
        "promised_limit": 0,
        "promised_note": "即时办结；企业开办一件事中与营业执照同步完成。",
        "result_name": "涉税信息确认结果（营业执照即税务登记证件）",
        "result_type": "其他",
        "delivery_ways": ["electronic"],
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [variant("package", "新办纳税人套餐", _NEW_TAXPAYER_FORM)],
        "materials": [
            business_licence(),
            id_card("法定代表人（负责人）", code="legal_rep_id"),
            mat(
                "staff_identity",
                "财务负责人、办税人员身份信息",
                kind="certificate",
                source="applicant",
                form="electronic",
                acceptance_standard="通过电子税务局或“个人所得税”App完成实名认证，无需提交纸质证件。",
            ),
            mat(
                "accounting_rules",
                "财务、会计制度或者财务、会计处理办法",
                necessity="optional",
                form="electronic",
                acceptance_standard="选择适用国家统一会计制度的无需提交。",
            ),
        ],
        "steps": [
            step("accept", 0, "电子税务局、企业开办平台或办税服务厅受理。"),
            step("review", 0, "系统校验营业执照信息和人员实名信息。", name="校验"),
            step("decide", 0, "确认登记信息，认定税（费）种，核定发票。", name="确认"),
            step("certify", 0, "生成涉税事项办理结果。", name="出具结果"),
            step("deliver", 0, "电子税务局推送结果，可即时开具发票。", name="告知"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "新办企业还要去税务局办税务登记证吗？",
                "不需要。实行“多证合一”后营业执照即为税务登记证件，新办纳税人只需在电子税务局确认涉税信息。",
            ),
            (
                "新办企业多久可以开发票？",
                "完成套餐式服务后即可使用全面数字化的电子发票（数电发票），开票额度由系统按规则自动赋予。",
            ),
        ),
    },
    "impls": [impl("wx_swj", "320200", "wx_hall", ["02"])],
}

_INVOICE_FORM = form(
    "发票领用（开票额度调整）申请",
    required=["entity_name", "credit_code", "contact_phone", "invoice_type", "requested_amount"],
    optional=["apply_reason"],
    extra={
        "invoice_type": choice(
            "发票种类",
            [
                "数电发票（增值税专用发票）",
                "数电发票（普通发票）",
                "纸质增值税专用发票",
                "纸质普通发票",
            ],
        ),
        "requested_amount": num("申请开具金额总额度或领用数量"),
    },
)

INVOICE: dict[str, Any] = {
    "key": "invoice",
    "basic_code": "200220002000",
    "name": "发票领用",
    "item_type": "20",
    "owner": "wx_swj",
    "levels": ["county", "city"],
    "legal_basis": [
        law(
            "《中华人民共和国发票管理办法》",
            "第十五条",
            "需要领用发票的单位和个人，应当持设立登记证件或者税务登记证件，以及经办人身份证明，"
            "向主管税务机关办理发票领用手续。主管税务机关根据领用单位和个人的经营范围、规模和风险等级，"
            "在5个工作日内确认领用发票的种类、数量以及领用方式。",
        ),
    ],
    "tags": ["mashang", "wangshang", "zhangshang", "miaoban"],
    "topics": ["th_tax", "th_startup"],
    "guide": {
        "audience": "entity",
        "handling_kind": "immediate",
        "acceptance_conditions": (
            "1. 已办理涉税信息确认的纳税人；\n"
            "2. 经办人已完成实名认证；\n"
            "3. 无未按规定缴销的发票、无重大税收违法失信记录。"
        ),
        "statutory_limit": 5,
        "statutory_note": "主管税务机关在5个工作日内确认领用发票的种类、数量以及领用方式（《中华"
        "人民共和国"
        "发票管理办法》第十五条）。",
        "promised_limit": 0,
        "promised_note": "数电发票额度即时确定；纸质发票即时领用，可选择邮寄。",
        "result_name": "发票（数电发票开具额度或纸质发票）",
        "result_type": "其他",
        "delivery_ways": ["electronic", "mail", "window"],
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [
            variant("digital", "数电发票开具额度调整", _INVOICE_FORM),
            variant("paper", "纸质发票领用", _INVOICE_FORM),
        ],
        "materials": [
            business_licence(),
            mat(
                "agent_identity",
                "经办人身份证明",
                kind="certificate",
                form="electronic",
                source="applicant",
                acceptance_standard="电子税务局实名认证即可，窗口办理的核验居民身份证。",
            ),
            mat(
                "invoice_seal",
                "发票专用章印模",
                necessity="optional",
                variant="paper",
                acceptance_standard="领用纸质发票的提供；已在公章刻制备案系统登记的通过共享获取。",
            ),
        ],
        "steps": [
            step("accept", 0, "电子税务局或办税服务厅受理。"),
            step("review", 0, "系统按风险等级和经营规模自动校验。", name="校验"),
            step("decide", 0, "确定发票种类、数量或开具额度。", name="核定"),
            step("certify", 0, "赋予数电发票额度或发放纸质发票。", name="发放"),
            step("deliver", 0, "电子推送或邮寄送达。"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "数电发票额度不够用怎么办？",
                "可在电子税务局申请调整开具金额总额度，系统自动审核，必要时由税务机关人工审核。",
            ),
            ("领发票要收费吗？", "不收费。税务机关免费向纳税人发放发票。"),
        ),
    },
    "impls": [impl("wx_swj", "320200", "wx_hall", ["02"])],
}

ENTRIES: list[dict[str, Any]] = [NEW_TAXPAYER, INVOICE]
