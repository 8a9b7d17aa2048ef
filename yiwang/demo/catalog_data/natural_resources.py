"""自然资源和规划: planning permits and real-estate registration."""

from __future__ import annotations

from typing import Any

from yiwang.demo.catalog_data.common import (
    app_form,
    business_licence,
    certificate,
    faqs,
    fee,
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

_PROJECT_PLANNING_FORM = form(
    "建设工程规划许可申请表",
    required=[
        "entity_name",
        "credit_code",
        "legal_rep_name",
        "contact_phone",
        "project_name",
        "project_code",
        "construction_site",
        "building_area",
        "land_area",
        "plot_ratio",
    ],
    optional=["total_investment"],
    extra={
        "land_area": num("用地面积（平方米）"),
        "plot_ratio": num("容积率"),
    },
)

PROJECT_PLANNING: dict[str, Any] = {
    "key": "project_planning",
    "basic_code": "010100001000",
    "name": "建设工程规划许可证核发",
    "item_type": "01",
    "owner": "wx_zrzy",
    "levels": ["county", "city"],
    "legal_basis": [
        law(
            "《中华人民共和国城乡规划法》",
            "第四十条",
            "在城市、镇规划区内进行建筑物、构筑物、道路、管线和其他工程建设的，建设单位或者个人应当向城市、"
            "县人民政府城乡规划主管部门或者省、自治区、直辖市人民政府确定的镇人民政府申请办理建设工程规划"
            "许可证。",
        ),
        law(
            "《中华人民共和国行政许可法》",
            "第四十二条",
            "除可以当场作出行政许可决定的外，行政机关应当自受理行政许可申请之日起二十日内作出行政许可决定。",
        ),
    ],
    "tags": ["wangshang", "mianzheng", "bangban"],
    "topics": ["th_construction"],
    "guide": {
        "audience": "entity",
        "acceptance_conditions": (
            "1. 建设项目已取得建设用地规划许可证或者不动产权证书等用地手续；\n"
            "2. 建设工程设计方案符合控制性详细规划和规划条件，已通过审查；\n"
            "3. 申请人为建设单位或者个人；\n"
            "4. 申请材料齐全、符合法定形式。"
        ),
        "statutory_limit": 20,
        "statutory_note": "自受理之日起20个工作日内作出决定（《中华人民共和国行政许可法》第四十"
        "二条），"
        "批前公示时间不计入。",
        "promised_limit": 5,
        "promised_note": "自受理之日起5个工作日内办结（批前公示期不计入）。",
        "result_name": "建设工程规划许可证",
        "result_type": "证照",
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [
            variant("building", "建筑工程", _PROJECT_PLANNING_FORM),
            variant("municipal", "市政交通、管线工程", _PROJECT_PLANNING_FORM),
        ],
        "materials": [
            app_form("建设工程规划许可申请表"),
            business_licence(),
            certificate(
                "land_planning_permit",
                "建设用地规划许可证或不动产权证书",
                "land_planning_permit",
                "自然资源和规划部门核发",
                "通过工程建设项目审批管理系统共享获取，无需提交。",
            ),
            mat(
                "design_scheme",
                "建设工程设计方案（总平面图、单体平立剖面图）及电子文件",
                form="electronic",
                acceptance_standard="符合规划条件和技术规定；CAD电子文件符合本市报建数据标准。",
            ),
            mat(
                "pipeline_plan",
                "管线综合规划图",
                necessity="optional",
                variant="municipal",
                acceptance_standard="市政管线工程提交，标明与现状管线的关系。",
            ),
            proxy_papers(),
        ],
        "steps": standard_steps(
            accept=0,
            review=2,
            decide=1,
            certify=1,
            deliver=1,
            special=[
                step(
                    "notice",
                    7,
                    "在项目现场和网站进行批前公示，听取利害关系人意见；公示期不计入办理时限。",
                    name="批前公示",
                    unit="natural_days",
                )
            ],
        ),
        "fees": [],
        "faqs": faqs(
            (
                "设计方案审查和规划许可可以合并办理吗？",
                "可以。社会投资简易低风险项目和小型工程实行设计方案审查与规划许可合并办理，一次申请、并联审查。",
            ),
            (
                "规划许可证有有效期吗？",
                "建设单位应当在取得规划许可证后一年内申请办理施工许可；逾期未开工且未申请延期的，许可证自行失效。",
            ),
        ),
    },
    "impls": [impl("wx_zrzy", "320200", "wx_hall", ["03"])],
}

_LAND_PLANNING_FORM = form(
    "建设用地规划许可申请表",
    required=[
        "entity_name",
        "credit_code",
        "legal_rep_name",
        "contact_phone",
        "project_name",
        "construction_site",
        "land_area",
        "land_use",
    ],
    optional=["project_code"],
    extra={
        "land_area": num("用地面积（平方米）"),
        "land_use": s("用地性质", maxLength=50),
    },
)

LAND_PLANNING: dict[str, Any] = {
    "key": "land_planning",
    "basic_code": "010100002000",
    "name": "建设用地规划许可证核发",
    "item_type": "01",
    "owner": "wx_zrzy",
    "levels": ["county", "city"],
    "legal_basis": [
        law(
            "《中华人民共和国城乡规划法》",
            "第三十七条",
            "以划拨方式提供国有土地使用权的建设项目，建设单位在取得有关部门的批准、核准、备案文件后，"
            "向城市、县人民政府城乡规划主管部门提出建设用地规划许可申请，由其核定建设用地的位置、面积、"
            "允许建设的范围，核发建设用地规划许可证。",
        ),
        law(
            "《中华人民共和国城乡规划法》",
            "第三十八条",
            "以出让方式取得国有土地使用权的建设项目，建设单位在取得建设项目的批准、核准、备案文件和签订"
            "国有土地使用权出让合同后，向城市、县人民政府城乡规划主管部门领取建设用地规划许可证。",
        ),
    ],
    "tags": ["wangshang", "mianzheng", "bangban"],
    "topics": ["th_construction"],
    "guide": {
        "audience": "entity",
        "acceptance_conditions": (
            "出让方式：已签订国有建设用地使用权出让合同，取得项目批准、核准或备案文件；\n"
            "划拨方式：已取得用地预审与选址意见书、项目批准文件，用地范围符合国土空间规划。"
        ),
        "statutory_limit": 20,
        "statutory_note": "自受理之日起20个工作日内作出决定（《中华人民共和国行政许可法》第四十"
        "二条）。",
        "promised_limit": 3,
        "promised_note": "出让类项目签订出让合同后3个工作日内核发（可与出让合同同步发放）。",
        "result_name": "建设用地规划许可证",
        "result_type": "证照",
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [
            variant("transfer", "出让方式取得用地", _LAND_PLANNING_FORM),
            variant("allocation", "划拨方式取得用地", _LAND_PLANNING_FORM),
        ],
        "materials": [
            app_form("建设用地规划许可申请表"),
            business_licence(),
            mat(
                "transfer_contract",
                "国有建设用地使用权出让合同",
                source="government",
                variant="transfer",
                acceptance_standard="通过部门共享获取的无需提交。",
            ),
            mat(
                "siting_opinion",
                "建设项目用地预审与选址意见书",
                kind="certificate",
                source="government",
                variant="allocation",
                acceptance_standard="在有效期内，与申请项目一致。",
            ),
            mat(
                "project_approval",
                "项目批准、核准或备案文件",
                source="government",
                acceptance_standard="通过投资项目在线审批监管平台共享获取。",
            ),
            mat(
                "boundary_map",
                "建设项目用地红线图（勘测定界图）",
                form="electronic",
                acceptance_standard="坐标系统符合本市要求。",
            ),
        ],
        "steps": standard_steps(accept=0, review=1, decide=1, certify=1, deliver=0),
        "fees": [],
        "faqs": faqs(
            (
                "什么是“交地即发证”？",
                "出让类项目在签订出让合同、交付土地时，同步核发建设用地规划许可证和不动产权证书，"
                "企业无需另行申请。",
            ),
            (
                "用地规划许可证可以变更吗？",
                "因依法调整规划条件等原因需要变更的，应当向原发证机关申请变更。",
            ),
        ),
    },
    "impls": [impl("wx_zrzy", "320200", "wx_hall", ["03"])],
}

REGISTRATION_LAW = law(
    "《中华人民共和国民法典》",
    "第二百零九条",
    "不动产物权的设立、变更、转让和消灭，经依法登记，发生效力；未经登记，不发生效力，但是法律另有规定的除外。",
)
REGISTRATION_RULES = law(
    "《不动产登记暂行条例》",
    "第二十条",
    "不动产登记机构应当自受理登记申请之日起30个工作日内办结不动产登记手续，法律另有规定的除外。",
)
REGISTRATION_FEE = (
    "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）"
)
FEE_REDUCTION = (
    "小微企业（含个体工商户）申请不动产登记的免征登记费（财税〔2016〕79号）；"
    "申请办理廉租住房、公共租赁住房、经济适用住房登记的等情形按规定减免。"
)

_TRANSFER_FORM = form(
    "不动产登记申请书（转移登记）",
    required=[
        "applicant_name",
        "applicant_id_number",
        "contact_phone",
        "property_address",
        "property_cert_number",
        "transferor_name",
        "transferor_id_number",
        "transfer_price",
    ],
    optional=["receive_way", "mail_address"],
    extra={
        "transferor_name": s("转让方（原权利人）姓名或名称"),
        "transferor_id_number": s("转让方证件号码"),
        "transfer_price": num("成交价格（元）"),
    },
)

REAL_ESTATE_TRANSFER: dict[str, Any] = {
    "key": "real_estate_transfer",
    "basic_code": "070100003000",
    "name": "不动产登记（转移登记）",
    "item_type": "07",
    "owner": "wx_zrzy",
    "levels": ["county", "city"],
    "legal_basis": [
        REGISTRATION_LAW,
        law(
            "《不动产登记暂行条例》",
            "第三条",
            "不动产首次登记、变更登记、转移登记、注销登记、更正登记、异议登记、预告登记、查封登记等，"
            "适用本条例。",
        ),
        REGISTRATION_RULES,
        law(
            "《不动产登记暂行条例实施细则》（国土资源部令第63号）",
            "",
            "买卖、互换、赠与、继承、受遗赠等导致不动产权利转移的，当事人可以向不动产登记机构申请转移登记。",
        ),
    ],
    "tags": ["wangshang", "mianzheng", "jiujin", "zhangshang"],
    "topics": ["le_housing"],
    "guide": {
        "audience": "both",
        "co_agencies": "国家税务总局无锡市税务局（契税、个人所得税一窗征收）；水、电、气、"
        "广电等公用事业单位（过户联动）",
        "acceptance_conditions": (
            "1. 因买卖、赠与、继承、受遗赠、互换、作价出资等导致不动产权利转移；\n"
            "2. 申请人为转让方和受让方（继承、受遗赠的可由继承人、受遗赠人单方申请）；\n"
            "3. 不动产已办理首次登记，不存在查封、异议登记等限制转移的情形；\n"
            "4. 已依法缴纳相关税费。"
        ),
        "statutory_limit": 30,
        "statutory_note": "自受理登记申请之日起30个工作日内办结（《不动产登记暂行条例》第二十条"
        "）。",
        "promised_limit": 1,
        "promised_note": "一般转移登记1个工作日内办结；继承、受遗赠等需公告的，公告期不计入。",
        "result_name": "不动产权证书（含电子证照）",
        "result_type": "证照",
        "online_depth": 4,
        "onsite_trips": 0,
        "online_payment": True,
        "variants": [
            variant("sale", "存量房买卖转移", _TRANSFER_FORM),
            variant("gift", "赠与转移", _TRANSFER_FORM),
            variant("inherit", "继承、受遗赠转移", _TRANSFER_FORM),
        ],
        "materials": [
            app_form("不动产登记申请书", legal_basis="《不动产登记暂行条例》第十六条"),
            id_card(
                "转让方和受让方",
                code="parties_id",
                legal_basis="《不动产登记暂行条例》第十六条",
            ),
            certificate(
                "property_certificate",
                "不动产权证书（原权属证书）",
                "real_estate_certificate",
                "不动产登记机构核发",
                "原件收回；已核发电子证照的通过电子证照库调取。",
            ),
            mat(
                "sale_contract",
                "存量房买卖合同",
                variant="sale",
                source="government",
                source_note="网签备案合同通过系统共享获取",
                acceptance_standard="已完成网签备案，与申请信息一致。",
            ),
            mat(
                "gift_contract",
                "赠与合同",
                variant="gift",
                acceptance_standard="赠与人与受赠人签字；可经公证或在登记机构当场签署。",
            ),
            mat(
                "inheritance_proof",
                "被继承人死亡证明、亲属关系证明及全体继承人的继承权确认材料",
                variant="inherit",
                acceptance_standard="全体法定继承人到场签署继承权分配协议，或提交继承权公证书、生效法律文书。",
            ),
            mat(
                "tax_proof",
                "完税凭证",
                kind="certificate",
                source="government",
                necessity="optional",
                source_note="税务机关出具；一窗受理时通过系统共享，无需提交",
                acceptance_standard="与登记不动产一致。",
            ),
            proxy_papers(),
        ],
        "steps": [
            step("accept", 0, "“一窗受理”，登记、交易、税务同窗受理，核验申请人身份。"),
            step("review", 1, "审核权属来源、申请材料和登记簿记载。", name="审核"),
            step(
                "notice",
                15,
                "继承、受遗赠等依法需要公告的，在门户网站公告15个工作日；公告期不计入时限。",
                name="公告",
            ),
            step("decide", 1, "记载于不动产登记簿。", name="登簿"),
            step("certify", 1, "缮制不动产权证书，同步生成电子证照。", name="缮证"),
            step("deliver", 0, "窗口领取、邮寄或电子证照送达。"),
        ],
        "fees": [
            fee(
                "不动产登记费（住宅类）",
                "80元/件",
                REGISTRATION_FEE,
                reducible=True,
                note=FEE_REDUCTION,
            ),
            fee(
                "不动产登记费（非住宅类）",
                "550元/件",
                REGISTRATION_FEE,
                reducible=True,
                note=FEE_REDUCTION,
            ),
            fee(
                "不动产权证书工本费",
                "登记费含第一本证书工本费；每增加一本加收10元",
                REGISTRATION_FEE,
            ),
        ],
        "faqs": faqs(
            (
                "买二手房要分别去交易中心、税务、登记中心吗？",
                "不用。本市实行“一窗受理、集成服务”，在不动产登记窗口一次提交材料，交易、缴税、登记一并办理。",
            ),
            (
                "过户后水电气要自己去改户名吗？",
                "选择“不动产+水电气”联动过户的，登记完成后信息自动推送至供水、供电、供气单位同步过户。",
            ),
            (
                "继承房产一定要公证吗？",
                "不一定。全体法定继承人可以到登记机构当场签署继承协议，经查验和公告无异议后办理。",
            ),
        ),
    },
    "impls": [impl("wx_zrzy", "320200", "wx_hall", ["03"])],
}

_MORTGAGE_FORM = form(
    "不动产登记申请书（抵押权登记）",
    required=[
        "applicant_name",
        "applicant_id_number",
        "contact_phone",
        "property_address",
        "property_cert_number",
        "mortgagee",
        "secured_amount",
    ],
    extra={
        "mortgagee": s("抵押权人（贷款银行）"),
        "secured_amount": num("被担保主债权数额（元）"),
    },
)

REAL_ESTATE_MORTGAGE: dict[str, Any] = {
    "key": "real_estate_mortgage",
    "basic_code": "070100004000",
    "name": "不动产登记（抵押权登记）",
    "item_type": "07",
    "owner": "wx_zrzy",
    "levels": ["county", "city"],
    "legal_basis": [
        REGISTRATION_LAW,
        law(
            "《中华人民共和国民法典》",
            "第四百零二条",
            "以建筑物和其他土地附着物、建设用地使用权等财产抵押的，应当办理抵押登记。抵押权自登记时设立。",
        ),
        REGISTRATION_RULES,
    ],
    "tags": ["wangshang", "zhengyin", "jiujin", "mianzheng"],
    "topics": ["le_housing"],
    "guide": {
        "audience": "both",
        "acceptance_conditions": (
            "1. 抵押财产为已登记的不动产，权属清楚，未被查封；\n"
            "2. 抵押人与抵押权人已签订抵押合同；\n"
            "3. 由抵押人和抵押权人共同申请；注销登记的可由抵押权人单方申请。"
        ),
        "statutory_limit": 30,
        "statutory_note": "自受理登记申请之日起30个工作日内办结（《不动产登记暂行条例》第二十条"
        "）。",
        "promised_limit": 1,
        "promised_note": "1个工作日内办结；在合作银行网点申请的，银行直接受理、登记机构网上审核。",
        "result_name": "不动产登记证明（抵押权）",
        "result_type": "证照",
        "delivery_ways": ["electronic", "window"],
        "online_depth": 4,
        "onsite_trips": 0,
        "online_payment": True,
        "variants": [
            variant("first", "抵押权首次登记", _MORTGAGE_FORM),
            variant("cancel", "抵押权注销登记", _MORTGAGE_FORM),
        ],
        "materials": [
            app_form("不动产登记申请书"),
            id_card("抵押人", code="mortgagor_id"),
            certificate(
                "property_certificate",
                "不动产权证书",
                "real_estate_certificate",
                "不动产登记机构核发",
                "通过电子证照库调取，无需提交原件。",
                variant="first",
            ),
            mat(
                "mortgage_contract",
                "抵押合同及主债权合同",
                variant="first",
                source="other",
                source_note="由抵押权人（银行）通过“不动产登记+金融服务”平台推送",
                acceptance_standard="载明被担保债权数额、债务履行期限等。",
            ),
            mat(
                "discharge_proof",
                "抵押权消灭的材料（解押证明）",
                variant="cancel",
                source="other",
                source_note="抵押权人出具，可由银行线上推送",
                acceptance_standard="抵押权人签章。",
            ),
        ],
        "steps": [
            step("accept", 0, "银行网点或登记窗口受理。"),
            step("review", 1, "审核抵押合同和登记簿记载。", name="审核"),
            step("decide", 0, "记载于不动产登记簿。", name="登簿"),
            step("certify", 0, "生成不动产登记证明（电子）。", name="缮证"),
            step("deliver", 0, "电子证明推送抵押权人。"),
        ],
        "fees": [
            fee(
                "不动产登记费（住宅类抵押权首次登记）",
                "80元/件（注销登记不收费）",
                REGISTRATION_FEE,
                reducible=True,
                note=FEE_REDUCTION,
            ),
            fee(
                "不动产登记费（非住宅类抵押权首次登记）",
                "550元/件（注销登记不收费）",
                REGISTRATION_FEE,
                reducible=True,
                note=FEE_REDUCTION,
            ),
        ],
        "faqs": faqs(
            (
                "贷款买房后还要自己去办抵押登记吗？",
                "不用。贷款银行通过“不动产登记+金融服务”平台在线申请，登记完成后电子证明推送给银行。",
            ),
            (
                "还清贷款后怎么解押？",
                "银行出具解押证明后可在线申请注销登记，注销登记不收费。",
            ),
        ),
    },
    "impls": [impl("wx_zrzy", "320200", "wx_hall", ["03"])],
}

ENTRIES: list[dict[str, Any]] = [
    PROJECT_PLANNING,
    LAND_PLANNING,
    REAL_ESTATE_TRANSFER,
    REAL_ESTATE_MORTGAGE,
]
