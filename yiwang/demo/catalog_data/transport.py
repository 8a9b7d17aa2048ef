"""交通运输: road freight licences and taxi drivers' qualification."""

from __future__ import annotations

from typing import Any

from yiwang.demo.catalog_data.common import (
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
    proxy_papers,
    standard_steps,
    step,
    variant,
)

_FREIGHT_FORM = form(
    "道路货物运输经营申请表",
    required=[
        "entity_name",
        "credit_code",
        "legal_rep_name",
        "business_address",
        "contact_phone",
        "vehicle_count",
        "driver_count",
        "freight_scope",
    ],
    optional=["employee_count"],
    extra={
        "vehicle_count": {"type": "integer", "title": "拟投入车辆数", "minimum": 1},
        "driver_count": {"type": "integer", "title": "驾驶人员数", "minimum": 1},
        "freight_scope": choice(
            "经营范围",
            ["道路普通货物运输", "货物专用运输（集装箱）", "大型物件运输", "冷藏保鲜设备运输"],
        ),
    },
)

ROAD_FREIGHT: dict[str, Any] = {
    "key": "road_freight",
    "basic_code": "010120001000",
    "name": "道路货物运输经营许可",
    "item_type": "01",
    "owner": "wx_jtj",
    "levels": ["county", "city"],
    "legal_basis": [
        law(
            "《中华人民共和国道路运输条例》",
            "第二十一条",
            "申请从事货运经营的，应当具备下列条件：有与其经营业务相适应并经检测合格的车辆；有符合本条例"
            "规定条件的驾驶人员；有健全的安全生产管理制度。",
        ),
        law(
            "《中华人民共和国道路运输条例》",
            "第二十四条",
            "申请从事危险货物运输经营以外的货运经营的，向县级人民政府交通运输主管部门提出申请，"
            "交通运输主管部门应当自受理申请之日起20日内审查完毕，作出许可或者不予许可的决定。"
            "使用总质量4500千克及以下普通货运车辆从事普通货运经营的，无需申请取得道路运输经营许可证及"
            "车辆营运证。",
        ),
        law(
            "《道路货物运输及站场管理规定》（交通运输部令）",
            "",
            "规定道路货物运输经营的许可条件、申请材料和车辆、驾驶人员管理。",
        ),
    ],
    "tags": ["wangshang", "mianzheng", "quanyu"],
    "topics": ["th_transport"],
    "guide": {
        "audience": "entity",
        "acceptance_conditions": (
            "1. 有与其经营业务相适应并经检测合格的车辆（总质量4500千克及以下普通货运车辆无需许可"
            "）；\n"
            "2. 有符合规定条件的驾驶人员：取得相应机动车驾驶证、年龄不超过60周岁、"
            "经考试合格取得道路货物运输从业资格证；\n"
            "3. 有健全的安全生产管理制度，包括安全生产责任制度、操作规程、车辆动态监控等。"
        ),
        "statutory_limit": 20,
        "statutory_note": "自受理申请之日起20日内审查完毕（《中华人民共和国道路运输条例》第二十"
        "四条）。",
        "promised_limit": 3,
        "promised_note": "自受理之日起3个工作日内办结；实行告知承诺的当场办结。",
        "result_name": "道路运输经营许可证",
        "result_type": "证照",
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [
            variant("new", "新办", _FREIGHT_FORM),
            variant("change", "变更经营范围", _FREIGHT_FORM),
        ],
        "materials": [
            app_form("道路货物运输经营申请表"),
            business_licence(),
            id_card("法定代表人（负责人）", code="legal_rep_id"),
            mat(
                "vehicles",
                "拟投入车辆承诺书或车辆行驶证、车辆技术等级评定材料",
                acceptance_standard="已购置车辆的提交行驶证（可共享获取）；未购置的提交承诺书，"
                "载明车辆数量、类型、技术性能。",
            ),
            mat(
                "drivers",
                "驾驶人员的机动车驾驶证、从业资格证",
                kind="certificate",
                source="government",
                acceptance_standard="通过公安和交通运输部门信息共享核验的无需提交。",
            ),
            mat(
                "safety_rules",
                "安全生产管理制度文本",
                necessity="deferrable",
                source_note="容缺后补：可在领取许可证前补交。",
                acceptance_standard="包括安全生产责任制度、安全生产业务操作规程、车辆动态监控制度等。",
            ),
            proxy_papers(),
        ],
        "steps": standard_steps(accept=0, review=1, decide=1, certify=1, deliver=0),
        "fees": [],
        "faqs": faqs(
            (
                "用小货车拉货需要办许可吗？",
                "使用总质量4500千克及以下普通货运车辆从事普通货运经营的，无需办理道路运输经营许可证和车辆营运证。",
            ),
            (
                "个体运输户可以申请吗？",
                "可以。个体工商户取得营业执照后可以申请道路货物运输经营许可。",
            ),
        ),
    },
    "impls": [impl("wx_spj", "320200", "wx_hall", ["01"])],
}

_TAXI_FORM = form(
    "出租汽车驾驶员从业资格证申请表",
    required=[
        "applicant_name",
        "applicant_id_number",
        "contact_phone",
        "residence_address",
        "taxi_type",
        "licence_first_date",
    ],
    extra={
        "taxi_type": choice("从业类别", ["巡游出租汽车驾驶员", "网络预约出租汽车驾驶员"]),
        "licence_first_date": {"type": "string", "title": "初次领取驾驶证日期", "format": "date"},
    },
)

TAXI_DRIVER: dict[str, Any] = {
    "key": "taxi_driver",
    "basic_code": "010120002000",
    "name": "出租汽车驾驶员从业资格证核发",
    "item_type": "01",
    "owner": "wx_jtj",
    "levels": ["city"],
    "legal_basis": [
        law(
            "《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）",
            "附件第112项",
            "出租汽车经营资格证、车辆运营证和驾驶员客运资格证核发，实施机关为县级以上地方人民政府出租汽车"
            "行政主管部门。",
        ),
        law(
            "《出租汽车驾驶员从业资格管理规定》（交通运输部令）",
            "",
            "出租汽车驾驶员从业资格包括巡游出租汽车驾驶员从业资格和网络预约出租汽车驾驶员从业资格，"
            "经考试合格后由设区的市级出租汽车行政主管部门核发从业资格证。",
        ),
    ],
    "tags": ["wangshang", "mianzheng"],
    "topics": ["th_transport", "le_job"],
    "guide": {
        "audience": "person",
        "acceptance_conditions": (
            "1. 取得相应准驾车型机动车驾驶证并具有3年以上驾驶经历；\n"
            "2. 无交通肇事犯罪、危险驾驶犯罪记录，无吸毒记录，无饮酒后驾驶记录，"
            "最近连续3个记分周期内没有记满12分记录；\n"
            "3. 无暴力犯罪记录；\n"
            "4. 参加全国公共科目和区域科目考试并合格。"
        ),
        "statutory_limit": 20,
        "statutory_note": "自受理之日起20个工作日内作出决定（《中华人民共和国行政许可法》第四十"
        "二条），"
        "考试时间不计入。",
        "promised_limit": 5,
        "promised_note": "考试合格后5个工作日内核发（考试时间不计入）。",
        "result_name": "出租汽车驾驶员从业资格证（电子证照）",
        "result_type": "证照",
        "delivery_ways": ["electronic", "window"],
        "online_depth": 3,
        "onsite_trips": 1,
        "variants": [
            variant("cruise", "巡游出租汽车驾驶员", _TAXI_FORM),
            variant("ride_hailing", "网络预约出租汽车驾驶员", _TAXI_FORM),
        ],
        "materials": [
            app_form("出租汽车驾驶员从业资格证申请表"),
            id_card(),
            certificate(
                "driving_licence",
                "机动车驾驶证",
                "driving_licence",
                "公安机关交通管理部门核发",
                "驾龄满3年；通过公安交管信息共享核验。",
            ),
            mat(
                "record_check",
                "无犯罪、吸毒、酒驾记录核查结果",
                source="government",
                necessity="optional",
                source_note="由交通运输部门向公安机关核查，申请人无需提交",
                acceptance_standard="核查结果符合条件。",
            ),
        ],
        "steps": standard_steps(
            accept=0,
            review=2,
            decide=1,
            certify=1,
            deliver=1,
            special=[
                step(
                    "test",
                    20,
                    "组织全国公共科目和区域科目考试（网约车含网约车区域科目），考试时间不计入许可期限。",
                    name="考试",
                )
            ],
        ),
        "fees": [],
        "faqs": faqs(
            (
                "在其他城市拿的网约车资格证，在无锡能用吗？",
                "网络预约出租汽车驾驶员从业资格证全国通用，但需在本市参加区域科目考试合格并注册后方可从业。",
            ),
            ("考试要收费吗？", "考试不收取费用，可通过网上预约考试时间和考点。"),
        ),
    },
    "impls": [impl("wx_jtj", "320200", "wx_hall", ["01"])],
}

ENTRIES: list[dict[str, Any]] = [ROAD_FREIGHT, TAXI_DRIVER]
