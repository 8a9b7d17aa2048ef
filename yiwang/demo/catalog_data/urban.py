"""城市管理: outdoor advertising and temporary occupation of roads. The
catalogue entries belong to the city's urban-management bureau; the city's
administrative-approval bureau implements them (相对集中行政许可)."""

from __future__ import annotations

from typing import Any

from yiwang.demo.catalog_data.common import (
    app_form,
    business_licence,
    choice,
    faqs,
    form,
    id_card,
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

_AD_FORM = form(
    "户外广告设施设置申请表",
    required=[
        "entity_name",
        "credit_code",
        "contact_phone",
        "business_address",
        "ad_type",
        "ad_location",
        "ad_size",
        "display_period",
    ],
    optional=["legal_rep_name"],
    extra={
        "ad_type": choice(
            "设施类型", ["店招标牌", "墙面广告", "屋顶广告", "立杆（落地）广告", "电子显示屏"]
        ),
        "ad_location": s("设置地点"),
        "ad_size": num("设施面积（平方米）"),
        "display_period": s("设置期限"),
    },
)

OUTDOOR_AD: dict[str, Any] = {
    "key": "outdoor_ad",
    "basic_code": "010150001000",
    "name": "户外广告设施设置许可",
    "item_type": "01",
    "owner": "wx_cgj",
    "levels": ["county", "city"],
    "legal_basis": [
        law(
            "《城市市容和环境卫生管理条例》",
            "第十一条",
            "在城市中设置户外广告、标语牌、画廊、橱窗等，应当内容健康、外型美观，并定期维修、油饰或者拆除。"
            "大型户外广告的设置必须征得城市人民政府市容环境卫生行政主管部门同意后，按照有关规定办理审批手续。",
        ),
        law(
            "《江苏省城市市容和环境卫生管理条例》",
            "",
            "设置大型户外广告设施以及在建筑物、构筑物外设置的广告设施，应当经城市管理部门批准。",
        ),
    ],
    "tags": ["wangshang", "mianzheng"],
    "topics": ["th_catering", "th_startup"],
    "guide": {
        "audience": "entity",
        "acceptance_conditions": (
            "1. 设置地点符合本市户外广告设施设置规划和技术规范；\n"
            "2. 申请人为设施所有人，已取得设置场地的使用权（场地产权人或管理人同意）；\n"
            "3. 设施的规格、材质、结构安全和照明符合要求，大型设施有结构安全设计；\n"
            "4. 不在文物保护单位、重要景观区域、交通安全设施周边等禁设区域设置。\n"
            "仅设置符合规范的小型店招标牌的，实行告知承诺或备案。"
        ),
        "statutory_limit": 20,
        "statutory_note": "自受理之日起20个工作日内作出决定（《中华人民共和国行政许可法》第四十"
        "二条），"
        "现场踏勘时间不计入。",
        "promised_limit": 5,
        "promised_note": "自受理之日起5个工作日内办结；店招标牌实行告知承诺的当场办结。",
        "result_name": "户外广告设施设置许可决定书",
        "result_type": "批文",
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [
            variant("new", "设置", _AD_FORM),
            variant("renew", "延续", _AD_FORM),
        ],
        "materials": [
            app_form("户外广告设施设置申请表"),
            business_licence(),
            mat(
                "design",
                "设施设计效果图、尺寸及结构图",
                acceptance_standard="标明设置位置、尺寸、材质、色彩和照明方式；大型设施附结构安全设计文件。",
            ),
            mat(
                "site_consent",
                "设置场地使用权证明或产权人同意设置的书面意见",
                acceptance_standard="产权人或物业管理人签章；租赁的附租赁合同。",
            ),
            mat(
                "safety_pledge",
                "设施安全管理承诺书",
                kind="form",
                necessity="deferrable",
                source_note="容缺后补：可在领取许可决定前补交。",
                acceptance_standard="承诺定期检查维护，恶劣天气前加固。",
            ),
            proxy_papers(),
        ],
        "steps": standard_steps(
            accept=0,
            review=2,
            decide=1,
            certify=1,
            deliver=1,
            subject="设置",
            result="许可决定书",
            special=[
                step(
                    "survey",
                    3,
                    "到设置地点现场踏勘，核实周边环境和安全条件；踏勘时间不计入许可期限。",
                )
            ],
        ),
        "fees": [],
        "faqs": faqs(
            (
                "开店做个门头招牌也要审批吗？",
                "在本店经营场所外墙设置符合规范的店招标牌的，实行告知承诺，在线提交效果图并承诺符合规范即可当场"
                "办结；大型广告设施需要审批。",
            ),
            (
                "许可有效期多长？",
                "户外广告设施设置期限一般不超过3年，期满需要继续设置的应当在期满30日前申请延续。",
            ),
        ),
    },
    "impls": [impl("wx_spj", "320200", "wx_hall", ["01"])],
}

_ROAD_FORM = form(
    "临时占用城市道路申请表",
    required=[
        "entity_name",
        "contact_phone",
        "occupy_purpose",
        "road_name",
        "occupy_area",
        "start_date",
        "end_date",
    ],
    optional=["credit_code", "applicant_name", "applicant_id_number"],
    extra={
        "occupy_purpose": choice(
            "占用用途", ["施工作业", "堆放物料", "搭建临时设施", "举办公益或商业活动"]
        ),
        "road_name": s("占用道路名称及路段"),
        "occupy_area": num("占用面积（平方米）"),
        "start_date": s("占用开始日期", format="date"),
        "end_date": s("占用结束日期", format="date"),
    },
)

ROAD_OCCUPATION: dict[str, Any] = {
    "key": "road_occupation",
    "basic_code": "010150002000",
    "name": "临时占用城市道路许可",
    "item_type": "01",
    "owner": "wx_cgj",
    "levels": ["county", "city"],
    "legal_basis": [
        law(
            "《城市道路管理条例》",
            "第三十一条",
            "因特殊情况需要临时占用城市道路的，须经市政工程行政主管部门和公安交通管理部门批准，方可按照规定"
            "占用。",
        ),
    ],
    "tags": ["wangshang"],
    "topics": ["th_construction"],
    "guide": {
        "audience": "both",
        "co_agencies": "无锡市公安局交通警察支队（占用城市道路影响交通安全的，联合审批）",
        "acceptance_conditions": (
            "1. 因建设施工、应急抢修、公益活动等特殊情况确需临时占用城市道路；\n"
            "2. 占用的地点、面积、期限符合城市道路管理要求，不影响交通安全和消防通道；\n"
            "3. 有相应的安全防护、交通疏导和占道恢复措施。"
        ),
        "statutory_limit": 20,
        "statutory_note": "自受理之日起20个工作日内作出决定（《中华人民共和国行政许可法》第四十"
        "二条）。",
        "promised_limit": 5,
        "promised_note": "自受理之日起5个工作日内办结（联合审批、现场踏勘时间不计入）。",
        "result_name": "临时占用城市道路许可决定书",
        "result_type": "批文",
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [
            variant("construction", "施工占用", _ROAD_FORM),
            variant("event", "活动占用", _ROAD_FORM),
        ],
        "materials": [
            app_form("临时占用城市道路申请表"),
            business_licence(necessity="optional"),
            id_card(necessity="optional", filling_notes="个人申请的提交。"),
            mat(
                "site_plan",
                "占用道路平面示意图及交通组织方案",
                acceptance_standard="标明占用范围、面积、围挡和交通疏导设施位置。",
            ),
            mat(
                "construction_permit_copy",
                "施工许可或工程批准文件",
                necessity="optional",
                variant="construction",
                source="government",
                acceptance_standard="因工程建设占用的提交，可通过部门共享获取。",
            ),
            mat(
                "event_approval",
                "活动举办方案及主管部门同意文件",
                necessity="optional",
                variant="event",
                acceptance_standard="举办大型活动的提交公安机关安全许可等文件。",
            ),
        ],
        "steps": standard_steps(
            accept=0,
            review=2,
            decide=1,
            certify=1,
            deliver=1,
            subject="占用",
            result="许可决定书",
            special=[
                step(
                    "survey",
                    3,
                    "现场踏勘，征求公安交通管理部门意见；时间不计入许可期限。",
                )
            ],
        ),
        "fees": [],
        "faqs": faqs(
            (
                "占道期满还没施工完怎么办？",
                "应当在期满前申请延期；未经批准逾期占用的，将依法处理。",
            ),
            (
                "占用后路面损坏谁负责？",
                "占用人应当在期满后清理现场、恢复原状；造成道路损坏的，应当负责修复或者承担修复费用。",
            ),
        ),
    },
    "impls": [impl("wx_spj", "320200", "wx_hall", ["01"])],
}

ENTRIES: list[dict[str, Any]] = [OUTDOOR_AD, ROAD_OCCUPATION]
