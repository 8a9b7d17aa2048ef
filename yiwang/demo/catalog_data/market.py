"""市场监督管理: food business, sole traders, company registration and
deregistration, special equipment, drug retail."""

from __future__ import annotations

from typing import Any

from yiwang.demo.catalog_data.common import (
    CERT,
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
    premises_proof,
    proxy_papers,
    s,
    standard_steps,
    step,
    variant,
)

LICENSING_LAW = law(
    "《中华人民共和国行政许可法》",
    "第十二条第（五）项",
    "企业或者其他组织的设立等，需要确定主体资格的事项，可以设定行政许可。",
)
REGISTRATION_RULES = law(
    "《中华人民共和国市场主体登记管理条例》",
    "第三条",
    "市场主体应当依照本条例办理登记。未经登记，不得以市场主体名义从事经营活动。",
)
REGISTRATION_LIMIT = law(
    "《中华人民共和国市场主体登记管理条例》",
    "第十九条",
    "登记机关应当对申请材料进行形式审查。对申请材料齐全、符合法定形式的予以确认并当场登记。"
    "不能当场登记的，应当在3个工作日内予以登记；情形复杂的，经登记机关负责人批准，可以再延长3个工作日。",
)

_FOOD_NEW = form(
    "食品经营许可申请书（新办）",
    required=[
        "entity_name",
        "credit_code",
        "legal_rep_name",
        "legal_rep_id_number",
        "business_address",
        "contact_phone",
        "main_business_type",
        "business_items",
        "food_safety_manager",
    ],
    optional=["business_area", "employee_count", "receive_way"],
    extra={
        "main_business_type": choice(
            "主体业态", ["食品销售经营者", "餐饮服务经营者", "单位食堂", "集中用餐配送单位"]
        ),
        "business_items": {
            "type": "array",
            "title": "经营项目",
            "items": {
                "type": "string",
                "enum": [
                    "散装食品销售",
                    "特殊食品销售",
                    "热食类食品制售",
                    "冷食类食品制售",
                    "生食类食品制售",
                    "半成品制售",
                    "自制饮品制售",
                    "糕点类食品制售（含裱花蛋糕）",
                ],
            },
            "minItems": 1,
        },
        "food_safety_manager": s("食品安全管理人员姓名", maxLength=50),
    },
)
_FOOD_CHANGE = form(
    "食品经营许可变更申请书",
    required=["entity_name", "credit_code", "licence_number", "change_items", "contact_phone"],
    optional=["business_address", "receive_way"],
    extra={
        "licence_number": s("食品经营许可证编号", pattern="^JY[0-9]{14}$"),
        "change_items": s("变更事项及变更前后内容", maxLength=500),
    },
)
_FOOD_RENEW = form(
    "食品经营许可延续申请书",
    required=["entity_name", "credit_code", "licence_number", "business_address", "contact_phone"],
    optional=["receive_way"],
    extra={"licence_number": s("食品经营许可证编号", pattern="^JY[0-9]{14}$")},
)

FOOD_BUSINESS: dict[str, Any] = {
    "key": "food_business",
    "basic_code": "010130001000",
    "name": "食品经营许可",
    "item_type": "01",
    "owner": "wx_scj",
    "levels": ["county", "city"],
    "legal_basis": [
        law(
            "《中华人民共和国食品安全法》",
            "第三十五条",
            "国家对食品生产经营实行许可制度。从事食品生产、食品销售、餐饮服务，应当依法取得许可。"
            "但是，销售食用农产品和仅销售预包装食品的，不需要取得许可。仅销售预包装食品的，"
            "应当报所在地县级以上地方人民政府食品安全监督管理部门备案。",
        ),
        law(
            "《中华人民共和国食品安全法》",
            "第三十三条",
            "食品生产经营应当符合食品安全标准，并具有与生产经营的食品品种、数量相适应的场所、设备、"
            "人员和规章制度等要求。",
        ),
        law(
            "《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）",
            "第二章",
            "规定食品经营许可的申请条件、申请材料、受理、审查、决定、变更和延续。",
        ),
    ],
    "tags": ["wangshang", "zhangshang", "mianzheng", "quanyu"],
    "topics": ["th_catering", "th_startup", "le_job"],
    "guide": {
        "audience": "entity",
        "acceptance_conditions": (
            "1. 申请人已依法取得营业执照等主体资格证明（机关、事业单位、社会团体、民办非企业单位、"
            "企业等申办单位食堂的，以其主体资格申请）；\n"
            "2. 具有与经营的食品品种、数量相适应的食品原料处理和食品加工、销售、贮存等场所，"
            "保持场所环境整洁，并与有毒、有害场所以及其他污染源保持规定的距离；\n"
            "3. 具有与经营的食品品种、数量相适应的经营设备或者设施，有相应的消毒、更衣、盥洗、"
            "采光、"
            "照明、通风、防腐、防尘、防蝇、防鼠、防虫、洗涤以及处理废水、存放垃圾和废弃物的设备或者设施；\n"
            "4. 配备食品安全总监、食品安全员等食品安全管理人员，有保证食品安全的规章制度；\n"
            "5. 具有合理的设备布局和工艺流程，防止待加工食品与直接入口食品、原料与成品交叉污染；\n"
            "6. 法律、法规规定的其他条件。\n"
            "仅销售预包装食品的实行备案管理，不需申请本许可；同一经营者在不同经营场所从事食品经营的，"
            "应当分别取得许可。"
        ),
        "process_description": (
            "网上申请或窗口申请 → 受理 → 材料审查（必要时现场核查）→ 作出决定 → 制发电子和纸质许"
            "可证 "
            "→ 送达。对仅从事简单制售等低风险项目的，可按告知承诺制当场作出许可决定。"
        ),
        "statutory_limit": 10,
        "statutory_note": (
            "自受理申请之日起10个工作日内作出决定；因特殊原因需要延长的，经本部门负责人批准可延长5个"
            "工作日，并将延长理由书面告知申请人。现场核查时间不计入时限。"
        ),
        "promised_limit": 5,
        "promised_note": "材料齐全、符合法定形式的，自受理之日起5个工作日内办结；"
        "实行告知承诺的当场办结。",
        "result_name": "食品经营许可证",
        "result_type": "证照",
        "online_depth": 4,
        "onsite_trips": 0,
        "quantity_limit": "一个经营场所发放一张食品经营许可证（一地一证）",
        "variants": [
            variant("new", "新办", _FOOD_NEW),
            variant("change", "变更", _FOOD_CHANGE),
            variant("renew", "延续", _FOOD_RENEW),
        ],
        "materials": [
            app_form(
                "食品经营许可申请书",
                code="app_new",
                variant="new",
                legal_basis="《食品经营许可和备案管理办法》第二章",
            ),
            app_form("食品经营许可变更申请书", code="app_change", variant="change"),
            app_form("食品经营许可延续申请书", code="app_renew", variant="renew"),
            business_licence(),
            id_card("法定代表人（负责人）", code="legal_rep_id"),
            mat(
                "layout",
                "与食品经营相适应的主要设备设施、经营布局、操作流程等文件",
                variant="new",
                acceptance_standard="标明经营场所各功能区（粗加工、切配、烹饪、备餐、专间、仓库等）位置和面积，"
                "列明主要设备设施名称和数量；加盖公章或经营者签字。",
                filling_notes="餐饮服务经营者需标注专间、专用操作区位置；可参照窗口提供的示例样表绘制。",
                legal_basis="《中华人民共和国食品安全法》第三十三条",
            ),
            mat(
                "safety_rules",
                "食品安全自查、从业人员健康管理、进货查验记录、食品安全事故处置等保证食品安全的规章制度目录",
                necessity="deferrable",
                variant="new",
                acceptance_standard="制度目录完整，内容与经营项目相适应。",
                source_note="容缺后补：可先作出书面承诺，在领取许可证前补交。",
            ),
            mat(
                "food_licence",
                "食品经营许可证",
                kind="certificate",
                source="government",
                source_note="原发证机关核发；已归集电子证照的无需提交",
                acceptance_standard="许可证在有效期内，信息与申请一致。",
                certificate_type_code=CERT["food_business_licence"],
                variant="change",
            ),
            mat(
                "change_proof",
                "与变更食品经营许可事项有关的其他材料",
                necessity="optional",
                variant="change",
                acceptance_standard="变更经营项目、设备布局的，提交变更后的布局和流程文件。",
            ),
            mat(
                "renew_statement",
                "延续期间经营条件未发生变化的书面承诺",
                variant="renew",
                acceptance_standard="法定代表人（负责人）签字并加盖公章。",
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
                    "需要对申请材料的实质内容进行核实的，指派2名以上核查人员进行现场核查；"
                    "现场核查所需时间不计算在许可期限内。",
                )
            ],
        ),
        "fees": [],
        "faqs": faqs(
            (
                "只卖预包装食品需要办理食品经营许可证吗？",
                "不需要。仅销售预包装食品的，在取得营业执照后向所在地县级市场监督管理部门办理备案即可；"
                "如同时销售散装食品或从事餐饮服务，则需要申请食品经营许可。",
            ),
            (
                "食品经营许可证的有效期是多久？什么时候申请延续？",
                "有效期为5年。需要延续的，应当在有效期届满前90个工作日至15个工作日期间提出延续申请。",
            ),
            (
                "经营场所的布局流程图可以手绘吗？",
                "可以，但须标明各功能区的位置、面积和主要设备，字迹清楚、比例大致准确；网上申请的可上传照片。",
            ),
        ),
    },
    "impls": [
        impl("wx_scj", "320200", "wx_hall", ["01"]),
        impl("lx_scj", "320213", "lx_hall", ["01"]),
        impl(
            "jy_scj",
            "320281",
            "jy_hall",
            ["01"],
            promised_limit=3,
            promised_note="江阴市推行食品经营许可“极简审批”，材料齐全、符合法定形式的3个工作日内办结。",
            steps=standard_steps(
                accept=0,
                review=1,
                decide=1,
                certify=1,
                deliver=0,
                special=[
                    step(
                        "inspect",
                        3,
                        "需要现场核查的，受理后3个工作日内完成现场核查；核查时间不计入许可期限。",
                    )
                ],
            ),
        ),
    ],
}


_SOLE_FORM = form(
    "个体工商户登记（备案）申请书",
    required=[
        "applicant_name",
        "applicant_id_number",
        "contact_phone",
        "business_address",
        "business_scope",
        "organisation_form",
    ],
    optional=["entity_name", "employee_count", "funds", "family_members"],
    extra={
        "organisation_form": choice("组成形式", ["个人经营", "家庭经营"]),
        "funds": num("资金数额（万元）"),
        "family_members": s("参加经营的家庭成员姓名", maxLength=200),
    },
)

SOLE_TRADER: dict[str, Any] = {
    "key": "sole_trader",
    "basic_code": "010130002000",
    "name": "个体工商户设立登记",
    "item_type": "01",
    "owner": "wx_scj",
    "levels": ["county", "city"],
    "legal_basis": [
        LICENSING_LAW,
        REGISTRATION_RULES,
        REGISTRATION_LIMIT,
        law(
            "《促进个体工商户发展条例》（国务院令第755号）",
            "第二条",
            "有经营能力的公民在中华人民共和国境内从事工商业经营，依法登记为个体工商户的，适用本条例。",
        ),
    ],
    "tags": ["mashang", "wangshang", "zhangshang", "jiujin", "mianzheng", "quanyu"],
    "topics": ["th_startup", "th_catering", "le_job"],
    "guide": {
        "audience": "person",
        "handling_kind": "immediate",
        "acceptance_conditions": (
            "1. 申请人为有经营能力的自然人，个人经营或者家庭经营；\n"
            "2. 有固定的经营场所，经营场所符合国土空间规划和安全、环保等要求；\n"
            "3. 申请登记的经营范围不属于法律、行政法规禁止的项目；属于前置许可项目的，"
            "已取得相关批准文件；\n"
            "4. 使用名称的，名称符合《企业名称登记管理规定》等有关规定（个体工商户也可以不使用名"
            "称）；\n"
            "5. 申请材料齐全、符合法定形式。"
        ),
        "statutory_limit": 3,
        "statutory_note": "材料齐全、符合法定形式的当场登记；不能当场登记的3个工作日内予以登记，"
        "情形复杂的经负责人批准可再延长3个工作日。",
        "promised_limit": 0,
        "promised_note": "材料齐全、符合法定形式的当场办结，同步发放电子营业执照。",
        "result_name": "营业执照（个体工商户）",
        "result_type": "证照",
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [variant("setup", "个体工商户设立登记", _SOLE_FORM)],
        "materials": [
            app_form(
                "个体工商户登记（备案）申请书",
                filling_notes="通过江苏省市场监管局“e企办”平台或“苏服办”App在线填报的，经营者完成实名认证和电子签名后"
                "无需提交纸质申请书。",
            ),
            id_card("经营者"),
            premises_proof(
                necessity="optional",
                filling_notes="江苏省实行住所（经营场所）申报承诺制，申请人如实申报并承诺真实性的，"
                "可以不提交场所使用证明。",
            ),
            mat(
                "family_relation",
                "家庭成员关系证明",
                necessity="optional",
                acceptance_standard="家庭经营的提交居民户口簿或结婚证等能证明家庭成员关系的材料；"
                "可通过部门共享核验的无需提交。",
            ),
            mat(
                "prior_permit",
                "前置许可文件",
                kind="certificate",
                necessity="optional",
                source="government",
                acceptance_standard="经营范围涉及法律、行政法规规定须在登记前报经批准的项目的提交。",
            ),
            proxy_papers(),
        ],
        "steps": [
            step("accept", 0, "窗口或网上受理，核验经营者身份（实名认证）。"),
            step("review", 0, "对申请材料进行形式审查。"),
            step("decide", 0, "材料齐全、符合法定形式的予以确认，当场登记。"),
            step("certify", 0, "打印纸质营业执照，同步生成电子营业执照。"),
            step("deliver", 0, "当场领取，或选择免费邮寄、电子营业执照下载。"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "个体工商户一定要起名称吗？",
                "不一定。个体工商户可以不使用名称；使用名称的，一户只能使用一个名称，"
                "名称由行政区划、字号、行业、组织形式依次组成。",
            ),
            (
                "在家里开网店可以办个体工商户营业执照吗？",
                "可以。从事网络经营的个体工商户可以将网络经营场所作为经营场所进行登记，"
                "同时应当在网店首页显著位置公示营业执照信息。",
            ),
            (
                "个体工商户可以变更经营者吗？",
                "可以。根据《促进个体工商户发展条例》，个体工商户可以直接申请变更经营者，"
                "不需要先注销再重新设立。",
            ),
        ),
    },
    "impls": [
        impl("wx_scj", "320200", "wx_hall", ["02"]),
        impl("lx_scj", "320213", "lx_hall", ["01"]),
        impl("jy_scj", "320281", "jy_hall", ["01"]),
    ],
}


COMPANY_SETUP_PARENT: dict[str, Any] = {
    "key": "company_setup",
    "basic_code": "010130003000",
    "name": "企业设立登记",
    "item_type": "01",
    "owner": "wx_scj",
    "levels": ["province", "city", "county"],
    "legal_basis": [LICENSING_LAW, REGISTRATION_RULES, REGISTRATION_LIMIT],
    "impls": [],
}

_LLC_FORM = form(
    "公司登记（备案）申请书",
    required=[
        "entity_name",
        "business_address",
        "business_scope",
        "registered_capital",
        "legal_rep_name",
        "legal_rep_id_number",
        "contact_phone",
        "shareholders",
    ],
    optional=[
        "applicant_name",
        "applicant_id_number",
        "employee_count",
        "supervisor_name",
        "seal_making",
        "invoice_needed",
        "social_insurance_needed",
    ],
    extra={
        "shareholders": {
            "type": "array",
            "title": "股东（发起人）出资情况",
            "minItems": 1,
            "maxItems": 50,
            "items": {
                "type": "object",
                "required": ["name", "amount", "method"],
                "properties": {
                    "name": s("股东名称（姓名）"),
                    "id_number": s("证件号码"),
                    "amount": num("认缴出资额（万元）"),
                    "method": choice(
                        "出资方式", ["货币", "实物", "知识产权", "土地使用权", "股权", "债权"]
                    ),
                    "due_date": s("出资期限", format="date"),
                },
            },
        },
        "supervisor_name": s("监事姓名（不设监事的可不填）"),
        "seal_making": {"type": "boolean", "title": "同步申请刻制公章"},
        "invoice_needed": {"type": "boolean", "title": "同步申领发票"},
        "social_insurance_needed": {"type": "boolean", "title": "同步办理员工参保登记"},
    },
)

COMPANY_LLC: dict[str, Any] = {
    "key": "company_llc",
    "basic_code": "010130003001",
    "parent": "company_setup",
    "name": "企业设立登记（有限责任公司）",
    "item_type": "01",
    "owner": "wx_scj",
    "levels": ["province", "city", "county"],
    "legal_basis": [
        law(
            "《中华人民共和国公司法》",
            "第二十九条",
            "设立公司，应当依法向公司登记机关申请设立登记。法律、行政法规规定设立公司必须报经批准的，"
            "应当在公司登记前依法办理批准手续。",
        ),
        law(
            "《中华人民共和国公司法》",
            "第四十七条",
            "有限责任公司的注册资本为在公司登记机关登记的全体股东认缴的出资额。全体股东认缴的出资额由股东"
            "按照公司章程的规定自公司成立之日起五年内缴足。",
        ),
        LICENSING_LAW,
        REGISTRATION_RULES,
        REGISTRATION_LIMIT,
    ],
    "tags": ["wangshang", "zhangshang", "mianzheng", "bangban", "quanyu"],
    "topics": ["th_startup"],
    "guide": {
        "audience": "entity",
        "acceptance_conditions": (
            "1. 股东符合法定人数（一个以上五十个以下）；\n"
            "2. 有符合公司章程规定的全体股东认缴的出资额，认缴出资自公司成立之日起五年内缴足；\n"
            "3. 股东共同制定公司章程；\n"
            "4. 有公司名称，建立符合有限责任公司要求的组织机构；\n"
            "5. 有公司住所；\n"
            "6. 经营范围涉及前置审批的，已取得批准文件；申请材料齐全、符合法定形式。"
        ),
        "process_description": (
            "通过“企业开办全链通”平台一表填报：名称自主申报 → 设立登记 → 同步完成公章刻制、"
            "发票申领、"
            "员工参保登记、住房公积金缴存登记。"
        ),
        "statutory_limit": 3,
        "statutory_note": "材料齐全、符合法定形式的当场登记；不能当场登记的3个工作日内予以登记。",
        "promised_limit": 1,
        "promised_note": "设立登记0.5个工作日内办结；企业开办全流程（含刻章、发票、社保、"
        "公积金）1个工作日内办结。",
        "result_name": "营业执照（有限责任公司）",
        "result_type": "证照",
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [variant("setup", "有限责任公司设立登记", _LLC_FORM)],
        "materials": [
            app_form("公司登记（备案）申请书"),
            mat(
                "articles",
                "公司章程",
                legal_basis="《中华人民共和国公司法》第四十六条",
                acceptance_standard="全体股东签署（自然人股东签字，非自然人股东盖章）；"
                "内容符合《中华人民共和国公司法》规定，可使用平台提供的章程参考文本。",
            ),
            mat(
                "shareholder_ids",
                "股东的主体资格文件或者自然人身份证件",
                kind="certificate",
                source="government",
                acceptance_standard="自然人股东提交居民身份证（可电子证照调取）；企业股东提交营业执照"
                "（可通过部门共享获取）。",
                certificate_type_code=CERT["id_card"],
            ),
            id_card("法定代表人（负责人）", code="legal_rep_id"),
            mat(
                "appointments",
                "法定代表人、董事、监事和高级管理人员的任职文件",
                kind="form",
                acceptance_standard="股东会决议、董事会决议或者其他相关材料，签署人符合章程规定。",
            ),
            premises_proof(
                necessity="deferrable",
                source_note="容缺后补：实行住所申报承诺制，可先提交住所承诺书，场所证明于领取执照后30日内补交。",
            ),
            proxy_papers(),
        ],
        "steps": [
            step("accept", 0, "网上或窗口受理，对股东、法定代表人等进行实名认证。"),
            step("review", 1, "对申请材料进行形式审查，核准名称和经营范围规范表述。"),
            step("decide", 0, "予以确认，作出准予设立登记决定。"),
            step("certify", 0, "生成电子营业执照，打印纸质营业执照。"),
            step("deliver", 0, "企业开办专窗领取（含免费刻制的首套印章），或免费邮寄。"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "注册资本需要一次缴足吗？",
                "不需要。有限责任公司全体股东认缴的出资额应当自公司成立之日起五年内按照章程规定缴足，"
                "实缴情况应当通过国家企业信用信息公示系统向社会公示。",
            ),
            (
                "一个地址可以注册多家公司吗？",
                "可以。本市实行“一址多照”，同一地址可以作为多家企业的住所，申请人对住所真实性作出承诺。",
            ),
            (
                "能不能一次把刻章、发票、社保都办了？",
                "可以。选择“企业开办一件事”，一表填报后同步办理公章刻制、发票申领、员工参保登记和住房公积金"
                "缴存登记，全流程1个工作日内办结，首套印章免费刻制。",
            ),
        ),
    },
    "impls": [impl("wx_scj", "320200", "wx_hall", ["02"])],
}


_EQUIP_FORM = form(
    "特种设备使用登记表",
    required=[
        "entity_name",
        "credit_code",
        "contact_phone",
        "equipment_category",
        "equipment_code",
        "installation_address",
        "safety_manager",
    ],
    optional=["receive_way"],
    extra={
        "equipment_category": choice(
            "设备类别",
            [
                "锅炉",
                "压力容器",
                "电梯",
                "起重机械",
                "客运索道",
                "大型游乐设施",
                "场（厂）内专用机动车辆",
                "压力管道",
            ],
        ),
        "equipment_code": s("设备代码", maxLength=40),
        "installation_address": s("设备使用地点", maxLength=200),
        "safety_manager": s("安全管理员姓名", maxLength=50),
    },
)

SPECIAL_EQUIPMENT: dict[str, Any] = {
    "key": "special_equipment",
    "basic_code": "010130004000",
    "name": "特种设备使用登记",
    "item_type": "01",
    "owner": "wx_scj",
    "levels": ["city", "county"],
    "legal_basis": [
        law(
            "《中华人民共和国特种设备安全法》",
            "第三十三条",
            "特种设备使用单位应当在特种设备投入使用前或者投入使用后三十日内，向负责特种设备安全监督管理"
            "的部门办理使用登记，取得使用登记证书。登记标志应当置于该特种设备的显著位置。",
        ),
        law(
            "《特种设备使用管理规则》（TSG 08-2017）",
            "第3章",
            "规定使用登记的一般要求、登记程序、变更、停用、注销和报废。",
        ),
    ],
    "tags": ["wangshang", "mianzheng"],
    "topics": ["th_production", "th_construction"],
    "guide": {
        "audience": "entity",
        "acceptance_conditions": (
            "1. 申请人为特种设备使用单位（产权单位或者受委托管理的物业服务企业等）；\n"
            "2. 特种设备已经安装、改造、重大修理监督检验合格（按规定需要监督检验的）；\n"
            "3. 在设备投入使用前或者投入使用后30日内申请；\n"
            "4. 已配备符合要求的安全管理人员和作业人员。"
        ),
        "statutory_limit": 15,
        "statutory_note": "依照《特种设备使用管理规则》，自受理之日起15个工作日内完成审核发证。",
        "promised_limit": 3,
        "promised_note": "材料齐全、符合法定形式的3个工作日内办结。",
        "result_name": "特种设备使用登记证",
        "result_type": "证照",
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [
            variant("first", "按台（套）使用登记", _EQUIP_FORM),
            variant("change", "变更登记", _EQUIP_FORM),
        ],
        "materials": [
            app_form("特种设备使用登记表", copies=2),
            business_licence(),
            mat(
                "product_certificate",
                "特种设备产品合格证（含产品数据表）",
                kind="certificate",
                source="other",
                source_note="制造单位出具",
                variant="first",
                acceptance_standard="与登记设备一致，加盖制造单位公章。",
            ),
            mat(
                "inspection_certificate",
                "特种设备监督检验证明",
                kind="certificate",
                source="other",
                source_note="特种设备检验机构出具",
                variant="first",
                acceptance_standard="安装、改造、重大修理监督检验结论为合格；已联网上报的可免交。",
            ),
            mat(
                "registration_certificate",
                "特种设备使用登记证",
                kind="certificate",
                source="government",
                variant="change",
                certificate_type_code=CERT["special_equipment_registration"],
                acceptance_standard="原使用登记证；已归集电子证照的无需提交。",
            ),
            proxy_papers(),
        ],
        "steps": standard_steps(accept=0, review=1, decide=1, certify=1, deliver=0),
        "fees": [],
        "faqs": faqs(
            (
                "小区电梯由谁办理使用登记？",
                "由电梯的使用单位办理，一般为电梯产权单位；委托物业服务企业管理的，由物业服务企业作为使用单位办理。",
            ),
            (
                "设备停用要办手续吗？",
                "特种设备拟停用1年以上的，使用单位应当采取有效的保护措施，并向登记机关办理报停手续；"
                "重新启用时应当经定期检验合格并办理启用手续。",
            ),
        ),
    },
    "impls": [impl("wx_scj", "320200", "wx_hall", ["01"])],
}


_DRUG_FORM = form(
    "药品经营许可证申请表（零售）",
    required=[
        "entity_name",
        "credit_code",
        "legal_rep_name",
        "business_address",
        "contact_phone",
        "quality_manager",
        "pharmacist_count",
        "business_scope",
    ],
    optional=["business_area", "warehouse_address", "receive_way"],
    extra={
        "quality_manager": s("质量负责人姓名"),
        "pharmacist_count": {"type": "integer", "title": "执业药师人数", "minimum": 1},
        "warehouse_address": s("仓库地址"),
    },
)

DRUG_RETAIL: dict[str, Any] = {
    "key": "drug_retail",
    "basic_code": "010130005000",
    "name": "药品零售企业经营许可",
    "item_type": "01",
    "owner": "wx_scj",
    "levels": ["county", "city"],
    "legal_basis": [
        law(
            "《中华人民共和国药品管理法》",
            "第五十一条",
            "从事药品零售活动，应当经所在地县级以上地方人民政府药品监督管理部门批准，取得药品经营许可证。"
            "无药品经营许可证的，不得经营药品。",
        ),
        law(
            "《中华人民共和国药品管理法》",
            "第五十二条",
            "从事药品经营活动应当具备依法经过资格认定的药师或者其他药学技术人员，与所经营药品相适应的营业"
            "场所、设备、仓储设施和卫生环境，质量管理机构或者人员，以及保证药品质量的规章制度。",
        ),
        law(
            "《药品经营和使用质量监督管理办法》",
            "第二章",
            "规定药品经营许可的申请、审查、现场检查、发证、变更和重新审查发证。",
        ),
    ],
    "tags": ["wangshang"],
    "topics": ["th_health", "th_startup"],
    "guide": {
        "audience": "entity",
        "acceptance_conditions": (
            "1. 依法经过资格认定的执业药师或者其他药学技术人员，企业法定代表人、主要负责人、"
            "质量负责人"
            "无《中华人民共和国药品管理法》规定的禁止从业情形；\n"
            "2. 具有与所经营药品相适应的营业场所、设备、仓储设施和卫生环境；\n"
            "3. 具有与所经营药品相适应的质量管理机构或者人员；\n"
            "4. 具有保证药品质量的规章制度，符合药品经营质量管理规范要求，具备药品追溯能力。"
        ),
        "statutory_limit": 20,
        "statutory_note": "依照《中华人民共和国行政许可法》第四十二条，自受理之日起20个工作日内"
        "作出决定；"
        "现场检查时间不计入时限。",
        "promised_limit": 7,
        "promised_note": "自受理之日起7个工作日内办结（不含现场检查时间）。",
        "result_name": "药品经营许可证",
        "result_type": "证照",
        "online_depth": 3,
        "onsite_trips": 1,
        "variants": [
            variant("new", "核发", _DRUG_FORM),
            variant("change", "许可事项变更", _DRUG_FORM),
            variant("renew", "重新审查发证", _DRUG_FORM),
        ],
        "materials": [
            app_form("药品经营许可证申请表"),
            business_licence(),
            mat(
                "personnel",
                "法定代表人、主要负责人、质量负责人的身份证明、学历及执业药师注册证明",
                kind="certificate",
                source="applicant",
                acceptance_standard="质量负责人应为执业药师；执业药师注册信息可通过部门共享核验。",
            ),
            mat(
                "premises_layout",
                "营业场所、仓库的地址、面积及平面布置图",
                acceptance_standard="标明营业区、仓储区、阴凉区、拆零区等功能区及面积。",
            ),
            mat(
                "quality_documents",
                "质量管理文件目录及主要设施设备目录",
                necessity="deferrable",
                source_note="容缺后补：可在现场检查前补交。",
                acceptance_standard="覆盖采购、验收、储存、销售、追溯、不良反应报告等环节。",
            ),
            mat(
                "drug_licence",
                "药品经营许可证",
                kind="certificate",
                source="government",
                certificate_type_code=CERT["drug_business_licence"],
                variant="change",
                acceptance_standard="原许可证在有效期内；已归集电子证照的无需提交。",
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
                    10,
                    "按照药品经营质量管理规范组织现场检查，检查时间不计入许可期限。",
                    name="现场检查",
                )
            ],
        ),
        "fees": [],
        "faqs": faqs(
            (
                "药品经营许可证有效期多久？",
                "有效期为5年。有效期届满需要继续经营的，应当在有效期届满前六个月至两个月期间申请重新审查发证。",
            ),
            (
                "零售药店必须配备执业药师吗？",
                "是。经营处方药、甲类非处方药的零售企业应当按规定配备执业药师，负责处方审核和用药指导。",
            ),
        ),
    },
    "impls": [impl("wx_scj", "320200", "wx_hall", ["01"])],
}


_DEREG_FORM = form(
    "注销登记申请书",
    required=["entity_name", "credit_code", "legal_rep_name", "contact_phone", "dereg_reason"],
    optional=["applicant_name", "applicant_id_number"],
    extra={
        "dereg_reason": choice(
            "注销原因",
            ["章程规定的营业期限届满", "股东会决议解散", "依法被吊销营业执照", "其他"],
        )
    },
)

COMPANY_DEREG: dict[str, Any] = {
    "key": "company_dereg",
    "basic_code": "010130006000",
    "name": "企业注销登记",
    "item_type": "01",
    "owner": "wx_scj",
    "levels": ["province", "city", "county"],
    "legal_basis": [
        LICENSING_LAW,
        law(
            "《中华人民共和国市场主体登记管理条例》",
            "第三十一条",
            "市场主体因解散、被宣告破产或者其他法定事由需要终止的，应当依法向登记机关申请注销登记。"
            "经登记机关注销登记，市场主体终止。",
        ),
        law(
            "《中华人民共和国市场主体登记管理条例》",
            "第三十三条",
            "市场主体未发生债权债务或者已将债权债务清偿完结，未发生或者已结清清偿费用、职工工资、社会保险"
            "费用、法定补偿金、应缴纳税款（滞纳金、罚款），并由全体投资人书面承诺对上述情况的真实性承担法律"
            "责任的，可以按照简易程序办理注销登记。公示期为20日。",
        ),
    ],
    "tags": ["wangshang", "mianzheng"],
    "topics": ["th_exit"],
    "guide": {
        "audience": "entity",
        "acceptance_conditions": (
            "一般注销：已依法成立清算组并完成清算，清算报告经股东会确认；已结清税款等。\n"
            "简易注销：未发生债权债务或者已将债权债务清偿完结，未发生或者已结清职工工资、社会保险费用、"
            "法定补偿金和应缴纳税款等，全体投资人书面承诺并经国家企业信用信息公示系统公示20日无异议。"
        ),
        "statutory_limit": 3,
        "statutory_note": "材料齐全、符合法定形式的当场登记；不能当场登记的3个工作日内予以登记。",
        "promised_limit": 1,
        "promised_note": "简易注销公示期满无异议的，1个工作日内办结（公示期不计入）。",
        "result_name": "准予注销登记通知书",
        "result_type": "批文",
        "delivery_ways": ["window", "electronic"],
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [
            variant("general", "一般注销", _DEREG_FORM),
            variant("simple", "简易注销", _DEREG_FORM),
        ],
        "materials": [
            app_form("注销登记申请书"),
            mat(
                "liquidation_report",
                "清算报告及股东会确认文件",
                variant="general",
                acceptance_standard="清算组成员签字，股东会决议确认；已通过公示系统发布债权人公告。",
            ),
            mat(
                "investor_pledge",
                "全体投资人承诺书",
                kind="form",
                variant="simple",
                acceptance_standard="全体投资人签字（盖章），承诺内容与公示一致。",
            ),
            business_licence(
                acceptance_standard="缴回营业执照正、副本原件；遗失的在公示系统发布作废声明。"
            ),
            mat(
                "tax_clearance",
                "清税信息",
                kind="certificate",
                necessity="optional",
                source="government",
                source_note="税务机关出具，已通过部门信息共享获取的无需提交",
                acceptance_standard="显示已结清税款或无欠税。",
            ),
            proxy_papers(),
        ],
        "steps": [
            step("accept", 0, "网上或窗口受理注销申请。"),
            step(
                "notice",
                20,
                "简易注销在国家企业信用信息公示系统公示20日，公示期内无异议的方可办理；公示期不计入办理时限。",
                unit="natural_days",
            ),
            step("review", 1, "对申请材料进行形式审查，核查公示期内异议情况。"),
            step("decide", 0, "作出准予注销登记决定。"),
            step("certify", 0, "制作准予注销登记通知书。"),
            step("deliver", 0, "电子送达或窗口领取。"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "哪些企业不能适用简易注销？",
                "涉及国家规定实施准入特别管理措施的外商投资企业、正在被立案调查或者采取行政强制措施的、"
                "股权被冻结或者出质的、被列入严重违法失信名单的等情形，不适用简易注销程序。",
            ),
            (
                "注销还需要分别跑税务、社保吗？",
                "不需要。通过“企业注销一网通”平台一次提交，市场监管、税务、人社、医保、公积金等部门信息共享、"
                "同步办理。",
            ),
        ),
    },
    "impls": [impl("wx_scj", "320200", "wx_hall", ["02"])],
}

ENTRIES: list[dict[str, Any]] = [
    FOOD_BUSINESS,
    SOLE_TRADER,
    COMPANY_SETUP_PARENT,
    COMPANY_LLC,
    SPECIAL_EQUIPMENT,
    DRUG_RETAIL,
    COMPANY_DEREG,
]
