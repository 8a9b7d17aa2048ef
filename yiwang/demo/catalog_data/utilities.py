"""Water, power and gas connections: public services of public-service
enterprises (公共服务企业), with the enterprise's remedy and service rights."""

from __future__ import annotations

from typing import Any

from yiwang.demo.catalog_data.common import (
    REMEDY_ENTERPRISE,
    RIGHTS_SERVICE,
    app_form,
    business_licence,
    certificate,
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

_COMMON: dict[str, Any] = {
    "handling_kind": "promised",
    "result_type": "其他",
    "delivery_ways": ["window", "electronic"],
    "rights_obligations": RIGHTS_SERVICE,
    "legal_remedy": REMEDY_ENTERPRISE,
    "online_depth": 4,
    "onsite_trips": 0,
}


def _connection_form(title: str, extra: dict[str, Any]) -> dict[str, Any]:
    return form(
        title,
        required=["applicant_name", "contact_phone", "property_address", *extra],
        optional=["applicant_id_number", "entity_name", "credit_code", "business_address"],
        extra=extra,
    )


def _materials(kind: str) -> list[dict[str, Any]]:
    return [
        app_form(f"{kind}申请表", filling_notes="可通过“苏服办”App、“灵锡”App或营业厅在线填写。"),
        id_card(
            "申请人（个人用户）",
            variant="resident",
            filling_notes="通过实名认证在线申请的无需提交。",
        ),
        business_licence(variant="business"),
        certificate(
            "property_proof",
            "用电（水、气）地址的不动产权证书或房屋使用证明",
            "real_estate_certificate",
            "不动产登记机构核发",
            "通过不动产登记信息共享核验；租赁的提交租赁合同及产权人同意书。",
        ),
    ]


WATER: dict[str, Any] = {
    "key": "water_connection",
    "basic_code": "210310001000",
    "name": "供水报装",
    "item_type": "21",
    "owner": "wx_water",
    "levels": ["city", "county"],
    "legal_basis": [
        law(
            "《城市供水条例》",
            "",
            "城市自来水供水企业应当按照国家有关规定设置管网，保障供水；用户用水应当按照规定申请，"
            "按照规定的计量标准和水价标准按时缴纳水费。",
        ),
        law(
            "《江苏省城乡供水管理条例》",
            "",
            "供水单位应当公开报装流程、时限和收费标准，为用户提供便捷的用水报装服务。",
        ),
    ],
    "tags": ["wangshang", "zhangshang", "mianzheng", "jiujin"],
    "topics": ["th_utilities", "th_startup", "le_housing"],
    "guide": {
        **_COMMON,
        "audience": "both",
        "acceptance_conditions": (
            "1. 用水地址位于本企业供水区域内，具备接水条件；\n"
            "2. 申请人为房屋产权人或经产权人同意的使用人；\n"
            "3. 非居民用户已取得营业执照等主体资格证明。"
        ),
        "promised_limit": 4,
        "promised_note": "无外线工程的4个工作日内通水；有外线工程的10个工作日内通水（不含行政审"
        "批时间）。",
        "result_name": "通水（签订供用水合同）",
        "variants": [
            variant(
                "resident",
                "居民用户",
                _connection_form("供水报装申请表", {"household_count": num("报装户数")}),
            ),
            variant(
                "business",
                "非居民用户",
                _connection_form(
                    "供水报装申请表",
                    {
                        "pipe_diameter": choice(
                            "接水管径", ["DN20", "DN25", "DN40", "DN50", "DN100"]
                        ),
                        "daily_water": num("预计日用水量（立方米）"),
                    },
                ),
            ),
        ],
        "materials": _materials("供水报装"),
        "steps": [
            step("accept", 0, "线上或窗口受理，一次性告知。"),
            step("survey", 1, "上门现场查勘，确定接水方案。", name="现场查勘", special=False),
            step("review", 1, "答复供水方案，签订供用水合同。", name="方案答复"),
            step("decide", 2, "组织接水施工，安装水表。", name="施工", role="approver"),
            step("deliver", 0, "验收通水。", name="通水"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "小微企业接水要出钱吗？",
                "本市对符合条件的小微企业实行用水报装“零投资”，建筑区划红线外的供水管网工程由供水企业承担。",
            ),
            (
                "买了二手房怎么过户水表？",
                "办理不动产转移登记时选择“水电气联动过户”，登记完成后自动办理，无需另跑。",
            ),
        ),
    },
    "impls": [impl("wx_water", "320200", "wx_hall", ["06"])],
}

POWER: dict[str, Any] = {
    "key": "power_connection",
    "basic_code": "210320001000",
    "name": "低压用电报装",
    "item_type": "21",
    "owner": "wx_power",
    "levels": ["city", "county"],
    "legal_basis": [
        law(
            "《中华人民共和国电力法》",
            "第二十六条",
            "供电营业区内的供电营业机构，对本营业区内的用户有按照国家规定供电的义务；不得违反国家规定"
            "对其营业区内申请用电的单位和个人拒绝供电。",
        ),
        law(
            "《供电营业规则》",
            "",
            "规定新装、增容与变更用电的办理程序、供电方案、受电工程和供用电合同。",
        ),
    ],
    "tags": ["wangshang", "zhangshang", "mianzheng", "jiujin"],
    "topics": ["th_utilities", "th_startup", "le_housing"],
    "guide": {
        **_COMMON,
        "audience": "both",
        "legal_remedy": (
            "对供电企业的报装服务、收费或时限有异议的，可以拨打95598供电服务热线或向国家能源局江苏监管办公室"
            "投诉（12398能源监管热线）；因供用电合同发生争议的，可以依法申请调解、仲裁或者向人民法院提起"
            "民事诉讼。"
        ),
        "acceptance_conditions": (
            "1. 用电地址位于本公司供电营业区内；\n"
            "2. 居民用户及报装容量160千瓦及以下的低压非居民用户；\n"
            "3. 申请人为房屋产权人或经产权人同意的使用人。"
        ),
        "promised_limit": 5,
        "promised_note": "居民用户3个工作日内装表接电；低压非居民用户无外线工程的5个工作日内接电。",
        "result_name": "装表接电（签订供用电合同）",
        "variants": [
            variant(
                "resident",
                "低压居民新装",
                _connection_form("用电报装申请表", {"capacity": num("申请容量（千瓦）")}),
            ),
            variant(
                "business",
                "低压非居民新装",
                _connection_form(
                    "用电报装申请表",
                    {
                        "capacity": num("申请容量（千瓦）", maximum=160),
                        "usage": choice("用电类别", ["商业", "一般工商业", "农业生产", "其他"]),
                    },
                ),
            ),
        ],
        "materials": _materials("用电报装"),
        "steps": [
            step("accept", 0, "“网上国网”App、营业厅或政务服务大厅受理。"),
            step("survey", 1, "现场勘查，答复供电方案。", name="勘查答复", special=False),
            step("review", 1, "签订供用电合同。", name="签订合同"),
            step("decide", 3, "配套工程施工，装表接电。", name="装表接电", role="approver"),
            step("deliver", 0, "送电，短信告知。", name="送电"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "低压用电报装要交钱吗？",
                "低压用户报装不收取业务费用；160千瓦及以下小微企业用电报装实行“零投资”，"
                "红线外工程由供电企业承担。",
            ),
            (
                "能不能不跑营业厅？",
                "可以。通过“网上国网”App上传证件即可申请，工作人员上门服务，全程不用跑。",
            ),
        ),
    },
    "impls": [impl("wx_power", "320200", "wx_hall", ["06"])],
}

GAS: dict[str, Any] = {
    "key": "gas_connection",
    "basic_code": "210330001000",
    "name": "燃气报装",
    "item_type": "21",
    "owner": "wx_gas",
    "levels": ["city", "county"],
    "legal_basis": [
        law(
            "《城镇燃气管理条例》",
            "",
            "燃气经营者应当向燃气用户持续、稳定、安全供应符合国家质量标准的燃气，指导燃气用户安全用气、"
            "节约用气，并对燃气设施定期进行安全检查。",
        ),
        law(
            "《江苏省燃气管理条例》",
            "",
            "规定燃气经营、使用和燃气设施保护；燃气用户应当遵守安全用气规定，"
            "餐饮等非居民用户按照规定安装燃气泄漏安全保护装置。",
        ),
    ],
    "tags": ["wangshang", "zhangshang", "mianzheng"],
    "topics": ["th_utilities", "th_catering", "le_housing"],
    "guide": {
        **_COMMON,
        "audience": "both",
        "acceptance_conditions": (
            "1. 用气地址位于本企业管道燃气供应区域内，具备通气条件；\n"
            "2. 申请人为房屋产权人或经产权人同意的使用人；\n"
            "3. 餐饮等非居民用户的用气场所符合安全要求，承诺安装燃气泄漏报警装置并使用合格燃具。"
        ),
        "promised_limit": 5,
        "promised_note": "无外线工程的5个工作日内通气；有外线工程的按方案约定时间通气（不含行政"
        "审批时间）。",
        "result_name": "通气（签订供用气合同）",
        "variants": [
            variant(
                "resident",
                "居民用户",
                _connection_form("燃气报装申请表", {"appliances": num("燃具台数")}),
            ),
            variant(
                "business",
                "非居民用户（含餐饮）",
                _connection_form(
                    "燃气报装申请表",
                    {
                        "hourly_gas": num("预计小时用气量（立方米）"),
                        "alarm_installed": {"type": "boolean", "title": "已安装燃气泄漏报警装置"},
                    },
                ),
            ),
        ],
        "materials": [
            *_materials("燃气报装"),
            mat(
                "safety_pledge",
                "安全用气承诺书",
                kind="form",
                variant="business",
                acceptance_standard="承诺安装燃气泄漏报警装置、使用合格燃具并定期安全检查。",
            ),
        ],
        "steps": [
            step("accept", 0, "线上或窗口受理。"),
            step("survey", 1, "上门查勘，确定供气方案。", name="现场查勘", special=False),
            step("review", 1, "答复方案，签订供用气合同。", name="方案答复"),
            step("decide", 3, "管道施工、安装燃气表，安全检查。", name="施工", role="approver"),
            step("deliver", 0, "置换通气，开展安全用气宣传。", name="通气"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "开餐馆用燃气有什么要求？",
                "必须安装燃气泄漏报警装置，使用合格的燃具和连接软管，并接受燃气企业的定期安全检查。",
            ),
            (
                "燃气报装收费吗？",
                "建筑区划红线外的管道工程对小微企业实行“零投资”；户内工程费用按照公示标准执行，不得强制"
                "指定燃具。",
            ),
        ),
    },
    "impls": [
        impl(
            "wx_gas",
            "320200",
            "",
            address="无锡市民中心政务服务大厅（无锡市经开区观山路199号）06号水电气报装窗口（燃气联合受理）；"
            "也可通过“灵锡”App在线申请",
        )
    ],
}

ENTRIES: list[dict[str, Any]] = [WATER, POWER, GAS]
