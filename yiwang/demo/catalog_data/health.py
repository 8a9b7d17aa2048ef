"""卫生健康: birth certificates, public-place hygiene permits, physician
registration, birth registration (生育登记)."""

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

_BIRTH_FORM = form(
    "出生医学证明首次签发登记表",
    required=[
        "child_name",
        "child_gender",
        "child_birth_date",
        "birth_hospital",
        "birth_place",
        "birth_weight",
        "gestational_weeks",
        "mother_name",
        "mother_id_number",
        "contact_phone",
    ],
    optional=["father_name", "father_id_number", "receive_way"],
    extra={
        "birth_place": s("出生地点（省、市、县）", maxLength=100),
        "birth_weight": num("出生体重（克）"),
        "gestational_weeks": num("出生孕周"),
    },
)

BIRTH_CERTIFICATE: dict[str, Any] = {
    "key": "birth_certificate",
    "basic_code": "210090001000",
    "name": "出生医学证明（首次签发）",
    "item_type": "21",
    "owner": "wx_wjw",
    "levels": ["county", "city"],
    "legal_basis": [
        law(
            "《中华人民共和国母婴保健法》",
            "第二十三条",
            "医疗保健机构和从事家庭接生的人员按照国务院卫生行政部门的规定，出具统一制发的新生儿出生医学证明。",
        ),
        law(
            "《卫生部 公安部关于进一步加强出生医学证明管理的通知》（卫妇社发〔2009〕96号）",
            "",
            "出生医学证明由取得助产技术服务资质的医疗保健机构签发，实行首次签发、换发、补发分类管理。",
        ),
    ],
    "tags": ["wangshang", "zhangshang", "mianzheng", "jiujin"],
    "topics": ["le_birth"],
    "guide": {
        "audience": "person",
        "handling_kind": "promised",
        "acceptance_conditions": (
            "1. 新生儿在本市依法取得助产技术服务资质的医疗保健机构内出生；\n"
            "2. 由新生儿父母或者其监护人申请，已为新生儿确定姓名；\n"
            "3. 母亲（或父母）身份证件真实有效，填报的父亲信息由父母双方共同确认。"
        ),
        "promised_limit": 1,
        "promised_note": "在出生医院签发窗口申请的当场或次日签发；选择电子证照的同步生成电子出生"
        "医学证明。",
        "result_name": "出生医学证明",
        "result_type": "证照",
        "delivery_ways": ["window", "electronic"],
        "online_depth": 3,
        "onsite_trips": 1,
        "variants": [variant("first", "首次签发", _BIRTH_FORM)],
        "materials": [
            app_form("出生医学证明首次签发登记表"),
            id_card("母亲", code="mother_id"),
            id_card(
                "父亲",
                code="father_id",
                necessity="optional",
                filling_notes="填报父亲信息的提交，父亲本人到场确认或提交经其签字的确认书。",
            ),
            mat(
                "birth_record",
                "分娩记录（出生医学记录）",
                source="other",
                source_note="助产机构在病历系统中出具，申请人无需提交纸质材料",
                form="electronic",
                acceptance_standard="与住院分娩记录一致。",
            ),
        ],
        "steps": [
            step("accept", 0, "出生医院签发窗口受理申请，核对母亲身份和分娩记录。"),
            step("review", 0, "核对新生儿姓名、性别、出生时间、体重等信息。", name="审核"),
            step("decide", 1, "签发人员确认签发。", name="签发"),
            step("certify", 0, "打印出生医学证明，生成电子证照。"),
            step("deliver", 0, "窗口领取，电子证照推送至“苏服办”App。"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "还没给孩子取名字，能先办出生医学证明吗？",
                "出生医学证明首次签发须填写新生儿姓名，请取名后再申请；出院时暂未取名的，可在出生后一个月内"
                "回出生医院办理。",
            ),
            (
                "出生医学证明信息写错了怎么办？",
                "在出生医院或签发机构申请换发，提交原证和能证明正确信息的材料；已办理户口登记的，"
                "需同时到派出所办理变更。",
            ),
            (
                "电子出生医学证明能用来报户口吗？",
                "能。电子出生医学证明与纸质证明具有同等效力，办理户口登记、医保参保时通过信息共享调取。",
            ),
        ),
    },
    "impls": [
        impl(
            "wx_wjw",
            "320200",
            "wx_hall",
            ["01"],
            address="新生儿出生的助产医疗机构出生医学证明签发窗口（如无锡市妇幼保健院门诊大楼一楼）；"
            "无锡市民中心政务服务大厅（无锡市经开区观山路199号）01号综合受理窗口负责咨询和换发、补发",
        )
    ],
}

_HYGIENE_FORM = form(
    "公共场所卫生许可申请表",
    required=[
        "entity_name",
        "credit_code",
        "legal_rep_name",
        "business_address",
        "contact_phone",
        "place_type",
        "business_area",
        "employee_count",
    ],
    optional=["central_air_conditioning", "receive_way"],
    extra={
        "place_type": choice(
            "场所类别",
            [
                "宾馆、旅店、招待所",
                "公共浴室、桑拿、足浴",
                "理发店、美容店",
                "游泳场（馆）",
                "影剧院、歌舞厅、音乐厅",
                "商场（店）、书店",
                "候诊室、候车（机、船）室",
            ],
        ),
        "central_air_conditioning": {"type": "boolean", "title": "使用集中空调通风系统"},
    },
)

PUBLIC_HYGIENE: dict[str, Any] = {
    "key": "public_hygiene",
    "basic_code": "010090002000",
    "name": "公共场所卫生许可",
    "item_type": "01",
    "owner": "wx_wjw",
    "levels": ["county", "city"],
    "legal_basis": [
        law(
            "《公共场所卫生管理条例》",
            "第八条",
            "除公园、体育场（馆）、公共交通工具外的公共场所，经营单位应当及时向卫生行政部门申请办理"
            "“卫生许可证”。",
        ),
        law(
            "《公共场所卫生管理条例实施细则》（原卫生部令第80号）",
            "第二十二条",
            "国家对公共场所实行卫生许可证管理。公共场所经营者应当按照规定向县级以上地方人民政府卫生计生"
            "行政部门申请卫生许可证。未取得卫生许可证的，不得营业。",
        ),
        law(
            "《国务院关于整合调整餐饮服务场所的公共场所卫生许可证和食品经营许可证的决定》（国发〔2016〕12号）",
            "",
            "取消饭馆、咖啡馆、酒吧、茶座4类公共场所的卫生许可证，由食品药品监管部门一家许可、统一监管。",
        ),
    ],
    "tags": ["wangshang", "mianzheng"],
    "topics": ["th_health", "th_startup"],
    "guide": {
        "audience": "entity",
        "acceptance_conditions": (
            "1. 申请人已取得营业执照，从事住宿、沐浴、美容美发、游泳、文化娱乐、购物、候诊候车等"
            "公共场所经营活动；\n"
            "2. 场所选址、布局、卫生设施（通风、采光照明、给排水、清洗消毒保洁、防病媒生物等）"
            "符合国家卫生标准和规范；\n"
            "3. 有卫生管理制度，配备专（兼）职卫生管理人员；\n"
            "4. 从业人员取得有效健康合格证明；\n"
            "5. 经营场所的空气、微小气候、水质、采光照明、噪声等经检测或评价符合卫生标准。"
        ),
        "statutory_limit": 20,
        "statutory_note": "依照《中华人民共和国行政许可法》第四十二条，自受理之日起20个工作日内"
        "作出决定；"
        "现场审核时间不计入时限。",
        "promised_limit": 5,
        "promised_note": "自受理之日起5个工作日内办结；选择告知承诺方式且材料齐全的当场办结。",
        "result_name": "公共场所卫生许可证",
        "result_type": "证照",
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [
            variant("new", "新办", _HYGIENE_FORM),
            variant("change", "变更", _HYGIENE_FORM),
            variant("renew", "延续", _HYGIENE_FORM),
        ],
        "materials": [
            app_form("公共场所卫生许可申请表"),
            business_licence(),
            id_card("法定代表人（负责人）", code="legal_rep_id"),
            mat(
                "site_plan",
                "公共场所地址方位示意图、平面图和卫生设施平面布局图",
                variant="new",
                acceptance_standard="标明场所周边环境、各功能间名称和面积、卫生设施位置。",
            ),
            mat(
                "hygiene_report",
                "公共场所卫生检测或者评价报告",
                necessity="deferrable",
                source="other",
                source_note="具备资质的检测机构出具；容缺后补：实行告知承诺的，可在取得许可后30日内补交",
                acceptance_standard="检测项目覆盖该类场所卫生标准的全部指标，结论为合格。",
            ),
            mat(
                "hygiene_rules",
                "公共场所卫生管理制度",
                acceptance_standard="包括卫生管理组织、从业人员健康管理、卫生检查、用品清洗消毒等内容。",
            ),
            certificate(
                "health_certificates",
                "从业人员健康合格证明",
                "health_certificate",
                "承担健康检查的医疗卫生机构出具",
                "在有效期内（一年）；已联网的可通过信息共享核验。",
                necessity="deferrable",
                source_note="容缺后补：新招录人员可在开业前补交。",
            ),
            mat(
                "air_conditioning_report",
                "集中空调通风系统卫生检测或者评价报告",
                necessity="optional",
                source="other",
                acceptance_standard="使用集中空调通风系统的提交。",
            ),
            certificate(
                "hygiene_permit",
                "公共场所卫生许可证",
                "public_health_permit",
                "卫生健康行政部门核发",
                "原许可证；已归集电子证照的无需提交。",
                variant="change",
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
                    "对场所的卫生设施、布局进行现场审核；实行告知承诺的，在许可后3个月内开展核查。",
                    name="现场审核",
                )
            ],
        ),
        "fees": [],
        "faqs": faqs(
            (
                "开饭店、奶茶店需要办理公共场所卫生许可证吗？",
                "不需要。饭馆、咖啡馆、酒吧、茶座已取消公共场所卫生许可，只需办理食品经营许可。",
            ),
            (
                "卫生许可证有效期多久？",
                "有效期为4年。需要延续的，应当在有效期届满30日前向原发证机关提出申请。",
            ),
        ),
    },
    "impls": [impl("wx_spj", "320200", "wx_hall", ["01"])],
}

_PHYSICIAN_FORM = form(
    "医师执业注册申请审核表",
    required=[
        "applicant_name",
        "applicant_id_number",
        "contact_phone",
        "qualification_number",
        "practice_category",
        "practice_scope",
        "practice_institution",
    ],
    extra={
        "qualification_number": s("医师资格证书编码", maxLength=30),
        "practice_category": choice("执业类别", ["临床", "中医", "口腔", "公共卫生"]),
        "practice_scope": s("执业范围", maxLength=100),
        "practice_institution": s("主要执业机构名称", maxLength=100),
    },
)

PHYSICIAN_REGISTRATION: dict[str, Any] = {
    "key": "physician_registration",
    "basic_code": "010090003000",
    "name": "医师执业注册",
    "item_type": "01",
    "owner": "wx_wjw",
    "levels": ["county", "city", "province"],
    "legal_basis": [
        law(
            "《中华人民共和国医师法》",
            "第十三条",
            "国家实行医师执业注册制度。取得医师资格的，可以向所在地县级以上地方人民政府卫生健康主管部门"
            "申请注册。医疗卫生机构可以为本机构中的申请人集体办理注册手续。除有本法规定不予注册的情形外，"
            "卫生健康主管部门应当自受理申请之日起二十个工作日内准予注册，将注册信息录入国家信息平台，"
            "并发给医师执业证书。",
        ),
        law(
            "《医师执业注册管理办法》（国家卫生和计划生育委员会令第13号）",
            "",
            "规定医师执业注册的条件、程序、变更注册、注销注册和电子化注册管理。",
        ),
    ],
    "tags": ["wangshang", "mianzheng"],
    "topics": ["th_health", "le_job"],
    "guide": {
        "audience": "person",
        "acceptance_conditions": (
            "1. 已取得医师资格证书；\n"
            "2. 拟执业的医疗卫生机构同意聘用；\n"
            "3. 身体健康，能够胜任医师执业活动；\n"
            "4. 无《中华人民共和国医师法》第十六条规定的不予注册情形（如无民事行为能力或者限制民"
            "事行为"
            "能力、受刑事处罚自刑罚执行完毕之日起至申请注册之日止不满二年等）。"
        ),
        "statutory_limit": 20,
        "statutory_note": "自受理申请之日起二十个工作日内准予注册（《中华人民共和国医师法》第十"
        "三条）。",
        "promised_limit": 3,
        "promised_note": "通过国家医师电子化注册系统申请的，3个工作日内办结。",
        "result_name": "医师执业证书（电子证照）",
        "result_type": "证照",
        "delivery_ways": ["electronic", "window"],
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [
            variant("first", "首次注册", _PHYSICIAN_FORM),
            variant("change", "变更注册", _PHYSICIAN_FORM),
        ],
        "materials": [
            app_form("医师执业注册申请审核表"),
            id_card(),
            certificate(
                "qualification",
                "医师资格证书",
                "physician_qualification",
                "国家卫生健康委员会核发",
                "信息可通过国家医师资格信息库核验。",
            ),
            mat(
                "medical_exam",
                "近6个月内的健康体检证明",
                kind="certificate",
                source="other",
                source_note="县级以上医疗机构出具",
                acceptance_standard="结论为能够胜任医师执业活动。",
            ),
            mat(
                "employment_proof",
                "拟执业机构聘用证明",
                kind="other",
                source="other",
                acceptance_standard="医疗卫生机构出具并加盖公章；集体办理的由机构统一提交。",
            ),
            certificate(
                "practice_certificate",
                "医师执业证书",
                "physician_practice",
                "卫生健康行政部门核发",
                "变更注册的提交原执业证书信息，电子证照自动调取。",
                variant="change",
            ),
        ],
        "steps": standard_steps(accept=0, review=2, decide=1, certify=0, deliver=0),
        "fees": [],
        "faqs": faqs(
            (
                "在多家医院执业需要分别注册吗？",
                "不需要。医师在主要执业机构注册后，到其他机构执业的，由拟执业机构向其核发执业证书的卫生健康"
                "主管部门备案即可。",
            ),
            (
                "执业证书是纸质的还是电子的？",
                "本市全面推行医师电子证照，与纸质证书具有同等效力，可在“苏服办”App查看和出示。",
            ),
        ),
    },
    "impls": [impl("wx_wjw", "320200", "wx_hall", ["01"])],
}

_BIRTH_REG_FORM = form(
    "生育登记信息表",
    required=[
        "mother_name",
        "mother_id_number",
        "father_name",
        "father_id_number",
        "contact_phone",
        "residence_address",
        "child_order",
    ],
    optional=["expected_date"],
    extra={
        "child_order": choice("本次登记为第几个子女", ["一孩", "二孩", "三孩"]),
        "expected_date": s("预产期", format="date"),
    },
)

BIRTH_REGISTRATION: dict[str, Any] = {
    "key": "birth_registration",
    "basic_code": "210090004000",
    "name": "生育登记",
    "item_type": "21",
    "owner": "wx_wjw",
    "levels": ["town", "city"],
    "legal_basis": [
        law(
            "《中华人民共和国人口与计划生育法》",
            "第十八条",
            "国家提倡适龄婚育、优生优育。一对夫妻可以生育三个子女。",
        ),
        law(
            "《江苏省人口与计划生育条例》",
            "",
            "实行生育登记服务制度，生育登记不设前置条件。",
        ),
    ],
    "tags": ["mashang", "wangshang", "zhangshang", "miaoban"],
    "topics": ["le_marriage", "le_birth"],
    "guide": {
        "audience": "person",
        "handling_kind": "immediate",
        "acceptance_conditions": (
            "1. 夫妻双方至少一方户籍在本市，或者现居住地在本市；\n"
            "2. 生育第一个、第二个、第三个子女的，均实行登记服务，不设前置条件；\n"
            "3. 可在怀孕前、怀孕期间或者子女出生后办理。"
        ),
        "promised_limit": 0,
        "promised_note": "网上申请信息核验通过的即时办结（秒批），窗口申请的当场办结。",
        "result_name": "生育登记服务单（电子）",
        "result_type": "其他",
        "delivery_ways": ["electronic", "window"],
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [variant("register", "生育登记", _BIRTH_REG_FORM)],
        "materials": [
            id_card("夫妻双方", code="couple_id"),
            certificate(
                "marriage_certificate",
                "结婚证",
                "marriage_certificate",
                "婚姻登记机关核发",
                "可通过婚姻登记信息共享核验，无需提交。",
                necessity="optional",
            ),
            mat(
                "pledge",
                "个人承诺书",
                kind="form",
                form="electronic",
                acceptance_standard="承诺所填信息真实，网上申请时在线勾选确认。",
            ),
        ],
        "steps": [
            step("accept", 0, "网上或乡镇（街道）便民服务中心受理。"),
            step("review", 0, "通过人口信息系统自动核验身份和婚育信息。", name="核验"),
            step("decide", 0, "核验通过即时登记。", name="登记"),
            step("certify", 0, "生成生育登记服务单。", name="出具服务单"),
            step("deliver", 0, "电子服务单推送至申请人，窗口申请的可当场打印。"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "生育登记是必须办的吗？有什么用？",
                "生育登记是为家庭提供孕产期保健、生育保险待遇等服务的依据，建议在怀孕后尽早登记；"
                "登记不设前置条件。",
            ),
            (
                "户籍不在无锡，可以在无锡登记吗？",
                "可以。夫妻一方户籍在本市或者现居住在本市的，均可在本市办理。",
            ),
        ),
    },
    "impls": [
        impl(
            "wx_wjw",
            "320200",
            "wx_hall",
            ["01"],
            address="网上办理：“苏服办”App或江苏政务服务网“生育登记”；现场办理：户籍地或现居住地乡镇"
            "（街道）便民服务中心",
        ),
        impl("hs_gov", "320281107000", "hs_centre", ["01"]),
    ],
}

ENTRIES: list[dict[str, Any]] = [
    BIRTH_CERTIFICATE,
    PUBLIC_HYGIENE,
    PHYSICIAN_REGISTRATION,
    BIRTH_REGISTRATION,
]
