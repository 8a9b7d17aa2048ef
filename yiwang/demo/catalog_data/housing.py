"""住房和城乡建设, 住房公积金: construction permits, drainage permits,
pre-sale permits, housing-fund withdrawals and employer registration."""

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
    num,
    proxy_papers,
    s,
    standard_steps,
    step,
    variant,
)

_CONSTRUCTION_FORM = form(
    "建筑工程施工许可证申请表",
    required=[
        "entity_name",
        "credit_code",
        "legal_rep_name",
        "contact_phone",
        "project_name",
        "project_code",
        "construction_site",
        "building_area",
        "total_investment",
        "contractor_name",
        "supervisor_name",
        "contract_price",
        "planned_start",
        "planned_end",
    ],
    extra={
        "contractor_name": s("施工总承包单位"),
        "supervisor_name": s("监理单位（依法应当监理的）"),
        "contract_price": num("合同价格（万元）"),
        "planned_start": s("计划开工日期", format="date"),
        "planned_end": s("计划竣工日期", format="date"),
    },
)

CONSTRUCTION_PERMIT: dict[str, Any] = {
    "key": "construction_permit",
    "basic_code": "010110001000",
    "name": "建筑工程施工许可证核发",
    "item_type": "01",
    "owner": "wx_zjj",
    "levels": ["county", "city"],
    "legal_basis": [
        law(
            "《中华人民共和国建筑法》",
            "第七条",
            "建筑工程开工前，建设单位应当按照国家有关规定向工程所在地县级以上人民政府建设行政主管部门"
            "申请领取施工许可证。",
        ),
        law(
            "《中华人民共和国建筑法》",
            "第八条",
            "申请领取施工许可证应当具备用地批准手续、规划许可、拆迁进度、施工企业、施工图纸及技术资料、"
            "质量和安全措施等条件。建设行政主管部门应当自收到申请之日起七日内，对符合条件的申请颁发施工许可证。",
        ),
        law(
            "《建筑工程施工许可管理办法》（住房和城乡建设部令第18号）",
            "第二条",
            "工程投资额在30万元以下或者建筑面积在300平方米以下的建筑工程，可以不申请办理施工许可证。",
        ),
    ],
    "tags": ["wangshang", "mianzheng", "bangban"],
    "topics": ["th_construction"],
    "guide": {
        "audience": "entity",
        "co_agencies": "无锡市自然资源和规划局（规划许可信息共享）",
        "acceptance_conditions": (
            "1. 依法应当办理用地批准手续的，已经办理；\n"
            "2. 依法应当办理建设工程规划许可证的，已经取得；\n"
            "3. 施工场地已经基本具备施工条件，需要征收房屋的，其进度符合施工要求；\n"
            "4. 已经确定施工企业，依法必须招标的已完成招标；\n"
            "5. 有满足施工需要的资金安排、施工图纸及技术资料；\n"
            "6. 有保证工程质量和安全的具体措施。"
        ),
        "statutory_limit": 7,
        "statutory_note": "自收到申请之日起七日内颁发施工许可证（《中华人民共和国建筑法》第八条"
        "）。",
        "promised_limit": 3,
        "promised_note": "材料齐全的3个工作日内办结；社会投资简易低风险项目1个工作日内办结。",
        "result_name": "建筑工程施工许可证",
        "result_type": "证照",
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [variant("new", "核发", _CONSTRUCTION_FORM)],
        "materials": [
            app_form("建筑工程施工许可证申请表"),
            certificate(
                "planning_permit",
                "建设工程规划许可证",
                "project_planning_permit",
                "自然资源和规划部门核发",
                "通过工程建设项目审批管理系统共享获取，无需提交。",
            ),
            certificate(
                "land_document",
                "用地批准手续（不动产权证书或建设用地批准书）",
                "real_estate_certificate",
                "自然资源和规划部门核发",
                "通过部门共享获取的无需提交。",
            ),
            mat(
                "contract",
                "施工合同及中标通知书",
                acceptance_standard="依法必须招标的提交中标通知书；施工合同双方签章齐全。",
            ),
            mat(
                "drawing_review",
                "施工图设计文件审查合格书",
                kind="certificate",
                necessity="deferrable",
                source="other",
                source_note="容缺后补：实行告知承诺的，可在开工前补交；豁免审查的小型项目无需提交",
                acceptance_standard="审查结论为合格，与申请项目一致。",
            ),
            mat(
                "funding_pledge",
                "建设资金已经落实承诺书",
                kind="form",
                acceptance_standard="建设单位法定代表人签字并加盖公章。",
            ),
            mat(
                "quality_safety",
                "工程质量安全监督手续",
                source="government",
                acceptance_standard="已在系统内办理质量安全监督登记的自动关联。",
            ),
            proxy_papers(),
        ],
        "steps": standard_steps(accept=0, review=1, decide=1, certify=1, deliver=0),
        "fees": [],
        "faqs": faqs(
            (
                "小工程也要办施工许可证吗？",
                "工程投资额在30万元以下或者建筑面积在300平方米以下的建筑工程，可以不申请办理施工许可证。",
            ),
            (
                "领证后多久必须开工？",
                "建设单位应当自领取施工许可证之日起三个月内开工；因故不能按期开工的，应当申请延期，"
                "延期以两次为限，每次不超过三个月。",
            ),
        ),
    },
    "impls": [impl("wx_spj", "320200", "wx_hall", ["01"])],
}

_DRAINAGE_FORM = form(
    "城镇污水排入排水管网许可申请表",
    required=[
        "entity_name",
        "credit_code",
        "legal_rep_name",
        "business_address",
        "contact_phone",
        "drainage_category",
        "daily_discharge",
        "outlet_count",
    ],
    optional=["pretreatment"],
    extra={
        "drainage_category": choice(
            "排水户类别", ["餐饮", "工业", "建筑施工", "医疗", "洗车", "其他"]
        ),
        "daily_discharge": num("日排水量（立方米）"),
        "outlet_count": {"type": "integer", "title": "排放口数量", "minimum": 1},
        "pretreatment": s("预处理设施（如隔油池、沉淀池）"),
    },
)

DRAINAGE_PERMIT: dict[str, Any] = {
    "key": "drainage_permit",
    "basic_code": "010110002000",
    "name": "城镇污水排入排水管网许可",
    "item_type": "01",
    "owner": "wx_zjj",
    "levels": ["county", "city"],
    "legal_basis": [
        law(
            "《城镇排水与污水处理条例》",
            "第二十一条",
            "从事工业、建筑、餐饮、医疗等活动的企业事业单位、个体工商户向城镇排水设施排放污水的，"
            "应当向城镇排水主管部门申请领取污水排入排水管网许可证。",
        ),
        law(
            "《城镇污水排入排水管网许可管理办法》（住房和城乡建设部令第21号）",
            "",
            "规定排水许可的申请条件、审查、现场核查、有效期（5年）和监督管理。",
        ),
    ],
    "tags": ["wangshang", "mianzheng"],
    "topics": ["th_catering", "th_construction", "th_environment"],
    "guide": {
        "audience": "entity",
        "acceptance_conditions": (
            "1. 排放口的设置符合城镇排水与污水处理规划的要求；\n"
            "2. 按照国家有关规定建设相应的预处理设施和水质、水量检测设施（餐饮排水户应设置隔油设"
            "施）；\n"
            "3. 排放的污水符合《污水排入城镇下水道水质标准》（GB/T 31962）等有关标准；\n"
            "4. 雨水、污水分流，不得将污水排入雨水管网。"
        ),
        "statutory_limit": 15,
        "statutory_note": "自受理申请之日起15个工作日内作出决定（《城镇污水排入排水管网许可管理"
        "办法》），"
        "现场核查时间不计入时限。",
        "promised_limit": 5,
        "promised_note": "材料齐全的5个工作日内办结；餐饮类小型排水户实行告知承诺，当场办结。",
        "result_name": "城镇污水排入排水管网许可证",
        "result_type": "证照",
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [
            variant("new", "新办", _DRAINAGE_FORM),
            variant("change", "变更", _DRAINAGE_FORM),
            variant("renew", "延续", _DRAINAGE_FORM),
        ],
        "materials": [
            app_form("城镇污水排入排水管网许可申请表"),
            business_licence(),
            mat(
                "drainage_drawings",
                "排水户内部排水管网、专用检测井、污水排放口位置和口径的图纸及说明",
                acceptance_standard="标明雨污分流情况和接入市政管网的位置；小型餐饮户可提交简易示意图。",
            ),
            mat(
                "pretreatment_docs",
                "预处理设施的有关材料",
                necessity="optional",
                acceptance_standard="按规定需要建设预处理设施的提交设施照片、设计说明或购置凭证。",
            ),
            mat(
                "water_quality_report",
                "排水水质、水量检测报告",
                necessity="deferrable",
                source="other",
                source_note="具备资质的检测机构出具；容缺后补：新建项目可在正式排水后30日内补交",
                acceptance_standard="检测指标覆盖该类排水户的特征污染物，结论达标。",
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
                    "inspect",
                    5,
                    "核查排放口、检测井、预处理设施和雨污分流情况；核查时间不计入许可期限。",
                )
            ],
        ),
        "fees": [],
        "faqs": faqs(
            (
                "开餐馆需要办排水许可证吗？",
                "需要。餐饮经营者向城镇排水管网排放污水的，应当申领排水许可证，并设置隔油设施、定期清掏。",
            ),
            (
                "排水许可证有效期多久？",
                "有效期为5年；需要延续的，应当在有效期届满30日前提出申请。",
            ),
        ),
    },
    "impls": [impl("wx_spj", "320200", "wx_hall", ["01"])],
}

_PRESALE_FORM = form(
    "商品房预售许可申请表",
    required=[
        "entity_name",
        "credit_code",
        "legal_rep_name",
        "contact_phone",
        "project_name",
        "construction_site",
        "presale_area",
        "presale_units",
        "supervision_bank",
    ],
    extra={
        "presale_area": num("预售面积（平方米）"),
        "presale_units": {"type": "integer", "title": "预售套数", "minimum": 1},
        "supervision_bank": s("预售资金监管银行"),
    },
)

PRESALE_PERMIT: dict[str, Any] = {
    "key": "presale_permit",
    "basic_code": "010110003000",
    "name": "商品房预售许可",
    "item_type": "01",
    "owner": "wx_zjj",
    "levels": ["county", "city"],
    "legal_basis": [
        law(
            "《中华人民共和国城市房地产管理法》",
            "第四十五条",
            "商品房预售应当符合下列条件：已交付全部土地使用权出让金，取得土地使用权证书；持有建设工程规划"
            "许可证；按提供预售的商品房计算，投入开发建设的资金达到工程建设总投资的百分之二十五以上，并已经"
            "确定施工进度和竣工交付日期；向县级以上人民政府房产管理部门办理预售登记，取得商品房预售许可证明。",
        ),
        law(
            "《城市商品房预售管理办法》",
            "第七条",
            "房地产管理部门自受理申请之日起10日内，依法作出准予预售的行政许可书面决定。",
        ),
    ],
    "tags": ["wangshang", "mianzheng"],
    "topics": ["th_construction"],
    "guide": {
        "audience": "entity",
        "acceptance_conditions": (
            "1. 已交付全部土地使用权出让金，取得土地使用权证书；\n"
            "2. 持有建设工程规划许可证和施工许可证；\n"
            "3. 按提供预售的商品房计算，投入开发建设的资金达到工程建设总投资的25%以上，"
            "并已确定施工进度和竣工交付日期；\n"
            "4. 已签订商品房预售资金监管协议。"
        ),
        "statutory_limit": 10,
        "statutory_note": "自受理申请之日起10日内作出决定（《城市商品房预售管理办法》第七条），"
        "现场查勘时间不计入。",
        "promised_limit": 5,
        "promised_note": "自受理之日起5个工作日内办结。",
        "result_name": "商品房预售许可证",
        "result_type": "证照",
        "online_depth": 3,
        "onsite_trips": 1,
        "variants": [variant("new", "核发", _PRESALE_FORM)],
        "materials": [
            app_form("商品房预售许可申请表"),
            business_licence(),
            certificate(
                "land_certificate",
                "不动产权证书（土地）",
                "real_estate_certificate",
                "不动产登记机构核发",
                "通过部门共享获取，无需提交。",
            ),
            certificate(
                "planning_permit",
                "建设工程规划许可证",
                "project_planning_permit",
                "自然资源和规划部门核发",
                "通过部门共享获取，无需提交。",
            ),
            certificate(
                "construction_permit",
                "建筑工程施工许可证",
                "construction_permit",
                "住房城乡建设部门核发",
                "通过部门共享获取，无需提交。",
            ),
            mat(
                "investment_proof",
                "工程施工合同及投入开发建设资金达到总投资25%以上的证明",
                acceptance_standard="附施工进度说明和竣工交付日期，由施工、监理单位确认。",
            ),
            mat(
                "presale_plan",
                "商品房预售方案",
                acceptance_standard="说明预售房屋的位置、面积、竣工交付日期，附分层平面图。",
            ),
            mat(
                "escrow_agreement",
                "商品房预售资金监管协议",
                acceptance_standard="开发企业、监管银行和主管部门三方签订。",
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
                    "survey",
                    3,
                    "现场查勘工程形象进度，核实投入资金情况；查勘时间不计入许可期限。",
                )
            ],
        ),
        "fees": [],
        "faqs": faqs(
            (
                "预售许可可以分栋申请吗？",
                "可以。以幢为单位申请预售许可，不得分层、分单元申请。",
            ),
            (
                "预售资金可以自由支取吗？",
                "不可以。预售资金全部进入监管账户，按工程节点申请拨付，优先用于工程建设。",
            ),
        ),
    },
    "impls": [impl("wx_zjj", "320200", "wx_hall", ["03"])],
}

_FUND_FORM = form(
    "住房公积金提取申请表",
    required=[
        "applicant_name",
        "applicant_id_number",
        "contact_phone",
        "fund_account",
        "withdraw_amount",
        "bank_name",
        "bank_account",
    ],
    optional=["property_address"],
    extra={
        "fund_account": s("住房公积金个人账号", pattern="^[0-9]{8,20}$"),
        "withdraw_amount": num("提取金额（元）"),
    },
)

HOUSING_FUND_WITHDRAW: dict[str, Any] = {
    "key": "housing_fund_withdraw",
    "basic_code": "210210001000",
    "name": "住房公积金提取",
    "item_type": "21",
    "owner": "wx_gjj",
    "levels": ["city"],
    "legal_basis": [
        law(
            "《住房公积金管理条例》",
            "第二十四条",
            "职工有下列情形之一的，可以提取职工住房公积金账户内的存储余额：购买、建造、翻建、大修自住住房的；"
            "离休、退休的；完全丧失劳动能力，并与单位终止劳动关系的；出境定居的；偿还购房贷款本息的；"
            "房租超出家庭工资收入的规定比例的。",
        ),
        law(
            "《住房公积金管理条例》",
            "第二十五条",
            "住房公积金管理中心应当自受理申请之日起3日内作出准予提取或者不准提取的决定，并通知申请人。",
        ),
    ],
    "tags": ["wangshang", "zhangshang", "miaoban", "mianzheng", "kuasheng"],
    "topics": ["le_housing", "le_elderly"],
    "guide": {
        "audience": "person",
        "acceptance_conditions": (
            "1. 在无锡市住房公积金管理中心缴存住房公积金的职工；\n"
            "2. 符合购买、建造、翻建、大修自住住房，偿还住房贷款本息，租赁住房，"
            "离休退休等提取情形之一；\n"
            "3. 同一提取事由在规定期限内未重复提取。"
        ),
        "statutory_limit": 3,
        "statutory_note": "自受理申请之日起3日内作出决定（《住房公积金管理条例》第二十五条）。",
        "promised_limit": 1,
        "promised_note": "租房提取、离退休提取网上秒批；其他情形1个工作日内到账。",
        "result_name": "住房公积金提取（资金转入本人银行账户）",
        "result_type": "其他",
        "delivery_ways": ["electronic"],
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [
            variant("buy", "购买自住住房提取", _FUND_FORM),
            variant("loan", "偿还住房贷款提取", _FUND_FORM),
            variant("rent", "租赁住房提取", _FUND_FORM),
            variant("retire", "离休退休提取", _FUND_FORM),
        ],
        "materials": [
            id_card(),
            certificate(
                "property_proof",
                "购房合同或不动产权证书",
                "real_estate_certificate",
                "不动产登记机构核发",
                "本市商品房网签备案及不动产登记信息共享获取，外地购房的提交原件。",
                variant="buy",
            ),
            mat(
                "loan_contract",
                "住房贷款借款合同",
                necessity="optional",
                variant="loan",
                acceptance_standard="在本中心办理公积金贷款的无需提交；商业贷款的提交借款合同和还款明细。",
            ),
            mat(
                "rent_pledge",
                "本市无自有住房承诺",
                kind="form",
                form="electronic",
                variant="rent",
                acceptance_standard="在线签署承诺，中心通过不动产登记信息核查。",
            ),
            mat(
                "retire_proof",
                "退休证明",
                necessity="optional",
                source="government",
                variant="retire",
                source_note="通过人社部门信息共享获取的无需提交",
                acceptance_standard="显示退休日期。",
            ),
        ],
        "steps": [
            step("accept", 0, "网上、手机公积金或窗口受理。"),
            step("review", 0, "核验提取条件和共享信息。", name="审核"),
            step("decide", 1, "作出准予或不准提取的决定。", name="审批"),
            step("certify", 0, "生成提取凭证。", name="出具结果"),
            step("deliver", 0, "资金转入本人银行账户，短信告知。", name="划转"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "租房提取每年能提多少？",
                "按本市公布的租房提取限额按月或按年提取，限额以中心最新公告为准，提取金额不超过账户余额。",
            ),
            (
                "在外地买房能提取无锡的公积金吗？",
                "可以。购房提取已实现跨省通办，可通过全国住房公积金小程序或网上服务大厅申请。",
            ),
        ),
    },
    "impls": [impl("wx_gjj", "320200", "wx_hall", ["05"])],
}

_FUND_EMPLOYER_FORM = form(
    "住房公积金单位缴存登记表",
    required=[
        "entity_name",
        "credit_code",
        "legal_rep_name",
        "business_address",
        "contact_phone",
        "employee_count",
        "deposit_rate",
    ],
    optional=["bank_name"],
    extra={"deposit_rate": choice("缴存比例", ["5%", "6%", "7%", "8%", "9%", "10%", "11%", "12%"])},
)

HOUSING_FUND_EMPLOYER: dict[str, Any] = {
    "key": "housing_fund_employer",
    "basic_code": "210210002000",
    "name": "住房公积金单位缴存登记",
    "item_type": "21",
    "owner": "wx_gjj",
    "levels": ["city"],
    "legal_basis": [
        law(
            "《住房公积金管理条例》",
            "第十四条",
            "新设立的单位应当自设立之日起30日内到住房公积金管理中心办理住房公积金缴存登记，并自登记之日起"
            "20日内，为本单位职工办理住房公积金账户设立手续。",
        ),
        law(
            "《住房公积金管理条例》",
            "第十五条",
            "单位录用职工的，应当自录用之日起30日内向住房公积金管理中心办理缴存登记。",
        ),
    ],
    "tags": ["mashang", "wangshang", "mianzheng"],
    "topics": ["th_startup"],
    "guide": {
        "audience": "entity",
        "handling_kind": "immediate",
        "acceptance_conditions": (
            "1. 在本市依法设立的企业、事业单位、民办非企业单位、社会团体等单位；\n"
            "2. 自设立之日起30日内申请；\n"
            "3. 通过企业开办平台办理设立登记的，可勾选同步办理。"
        ),
        "promised_limit": 0,
        "promised_note": "即时办结。",
        "result_name": "住房公积金单位缴存登记信息",
        "result_type": "其他",
        "delivery_ways": ["electronic"],
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [variant("register", "缴存登记", _FUND_EMPLOYER_FORM)],
        "materials": [
            business_licence(),
            id_card("经办人", code="agent_id", necessity="optional"),
        ],
        "steps": [
            step("accept", 0, "接收企业开办平台推送或网上申请。"),
            step("review", 0, "核验营业执照信息。", name="核验"),
            step("decide", 0, "办理缴存登记，生成单位公积金账号。", name="登记"),
            step("certify", 0, "出具登记信息。", name="出具结果"),
            step("deliver", 0, "电子推送。", name="告知"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "缴存比例怎么定？",
                "单位和职工缴存比例均不低于5%、不高于12%，由单位在规定范围内自主确定。",
            ),
            (
                "办理登记后还要做什么？",
                "自登记之日起20日内为本单位职工办理个人账户设立，按月足额缴存。",
            ),
        ),
    },
    "impls": [impl("wx_gjj", "320200", "wx_hall", ["05"])],
}

ENTRIES: list[dict[str, Any]] = [
    CONSTRUCTION_PERMIT,
    DRAINAGE_PERMIT,
    PRESALE_PERMIT,
    HOUSING_FUND_WITHDRAW,
    HOUSING_FUND_EMPLOYER,
]
