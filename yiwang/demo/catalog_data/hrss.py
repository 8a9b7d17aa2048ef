"""人力资源和社会保障: social security cards, unemployment benefit,
employment cards, pensions, employer registration, survivor benefits."""

from __future__ import annotations

from typing import Any

from yiwang.demo.catalog_data.common import (
    business_licence,
    choice,
    faqs,
    form,
    household_register,
    id_card,
    impl,
    law,
    mat,
    proxy_papers,
    s,
    step,
    variant,
)

SOCIAL_INSURANCE_NO = law(
    "《中华人民共和国社会保险法》",
    "第五十八条",
    "国家建立全国统一的个人社会保障号码。个人社会保障号码为公民身份号码。",
)
NO_STATUTORY = "法律、行政法规未规定办理时限，按照社会保险经办规程执行。"

_CARD_FORM = form(
    "社会保障卡申领登记表",
    required=["applicant_name", "applicant_id_number", "contact_phone", "bank_name"],
    optional=["guardian_name", "guardian_id_number", "receive_way", "mail_address"],
    extra={
        "bank_name": choice(
            "金融服务合作银行",
            ["中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "交通银行", "江苏银行"],
        ),
        "guardian_name": s("监护人姓名（未满16周岁时填写）"),
        "guardian_id_number": s("监护人公民身份号码", pattern="^[0-9]{17}[0-9X]$"),
    },
)

SOCIAL_SECURITY_CARD: dict[str, Any] = {
    "key": "social_security_card",
    "basic_code": "210070001000",
    "name": "社会保障卡申领",
    "item_type": "21",
    "owner": "wx_rsj",
    "levels": ["city", "county"],
    "legal_basis": [
        SOCIAL_INSURANCE_NO,
    ],
    "tags": ["mashang", "zhangshang", "wangshang", "jiujin", "zhengyin"],
    "topics": ["le_birth", "le_job", "le_medical"],
    "guide": {
        "audience": "person",
        "handling_kind": "immediate",
        "acceptance_conditions": (
            "1. 在本市参加社会保险的人员、本市户籍人员、持本市居住证人员及新生儿；\n"
            "2. 未持有有效的第三代社会保障卡（已持有的可申请换卡）；\n"
            "3. 未满16周岁的由监护人代为申请。"
        ),
        "promised_limit": 0,
        "promised_note": "在即时制卡网点申请的立等可取；网上申请的制卡后邮寄，"
        "一般不超过10个工作日。",
        "result_name": "中华人民共和国社会保障卡（含电子社会保障卡）",
        "result_type": "证照",
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [
            variant("first", "首次申领", _CARD_FORM),
            variant("replace", "补领换领", _CARD_FORM),
        ],
        "materials": [
            id_card(filling_notes="新生儿可凭户口簿或出生医学证明（信息共享）申领。"),
            mat(
                "photo",
                "近期免冠彩色照片",
                form="electronic",
                necessity="optional",
                source="government",
                source_note="可调用公安机关居民身份证照片，无需另行提供",
                acceptance_standard="白色背景，符合社会保障卡照片技术要求。",
            ),
            id_card(
                "监护人",
                code="guardian_id",
                necessity="optional",
                filling_notes="未满16周岁由监护人代办时提交。",
            ),
        ],
        "steps": [
            step("accept", 0, "服务网点、银行网点或网上受理，核验身份。"),
            step("review", 0, "核验参保和身份信息，比对照片。", name="核验"),
            step("decide", 0, "确认制卡信息。", name="确认"),
            step("certify", 0, "即时制卡并激活金融账户，同步签发电子社保卡。"),
            step("deliver", 0, "当场领卡，或邮寄送达。"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "社保卡丢了怎么办？",
                "先通过“苏服办”App、电子社保卡、12333或合作银行网点办理挂失，再到即时制卡网点补卡；"
                "挂失后电子社保卡可以继续使用。",
            ),
            (
                "新生儿怎么办社保卡？",
                "可通过“新生儿出生一件事”一并申请，无需照片，制卡后邮寄到家。",
            ),
        ),
    },
    "impls": [
        impl("wx_rsj", "320200", "wx_hall", ["05"]),
        impl("xs_rsj", "320205", "xs_hall", ["01"]),
    ],
}

_UNEMP_FORM = form(
    "失业保险金申领登记表",
    required=[
        "applicant_name",
        "applicant_id_number",
        "contact_phone",
        "last_employer",
        "separation_date",
        "bank_name",
        "bank_account",
    ],
    optional=["residence_address"],
    extra={
        "last_employer": s("原工作单位名称", maxLength=100),
        "separation_date": s("解除或终止劳动关系日期", format="date"),
        "bank_name": s("社会保障卡开户银行"),
    },
)

UNEMPLOYMENT_BENEFIT: dict[str, Any] = {
    "key": "unemployment_benefit",
    "basic_code": "050070002000",
    "name": "失业保险金申领",
    "item_type": "05",
    "owner": "wx_rsj",
    "levels": ["city", "county"],
    "legal_basis": [
        law(
            "《中华人民共和国社会保险法》",
            "第四十五条",
            "失业人员符合下列条件的，从失业保险基金中领取失业保险金：（一）失业前用人单位和本人已经缴纳"
            "失业保险费满一年的；（二）非因本人意愿中断就业的；（三）已经进行失业登记，并有求职要求的。",
        ),
        law(
            "《中华人民共和国社会保险法》",
            "第五十条",
            "失业人员凭失业登记证明和个人身份证明，到社会保险经办机构办理领取失业保险金的手续。"
            "失业保险金领取期限自办理失业登记之日起计算。",
        ),
        law(
            "《失业保险条例》",
            "第十七条",
            "失业人员失业前所在单位和本人累计缴费满1年不足5年的，领取失业保险金的期限最长为12个月；"
            "满5年不足10年的，最长为18个月；10年以上的，最长为24个月。",
        ),
    ],
    "tags": ["wangshang", "zhangshang", "mianzheng"],
    "topics": ["le_job"],
    "guide": {
        "audience": "person",
        "acceptance_conditions": (
            "1. 失业前用人单位和本人已经缴纳失业保险费满一年；\n"
            "2. 非因本人意愿中断就业（如劳动合同期满终止、被用人单位解除劳动合同等）；\n"
            "3. 已经进行失业登记，并有求职要求；\n"
            "4. 未领取基本养老金，未重新就业、应征服兵役、移居境外。"
        ),
        "statutory_limit": 10,
        "statutory_note": "经办机构自受理申请之日起10日内完成资格审核认定（《失业保险金申领发放"
        "办法》）。",
        "promised_limit": 3,
        "promised_note": "网上申请的3个工作日内完成审核，次月起按月发放至本人社会保障卡金融账户。",
        "result_name": "失业保险待遇核定结果（按月发放失业保险金）",
        "result_type": "其他",
        "delivery_ways": ["electronic"],
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [variant("claim", "失业保险金申领", _UNEMP_FORM)],
        "materials": [
            id_card(),
            mat(
                "separation_proof",
                "解除或者终止劳动关系的证明",
                necessity="optional",
                source="other",
                source_note="用人单位已通过系统办理减员并报送解除信息的，无需提交",
                acceptance_standard="加盖用人单位公章，载明解除或终止日期和原因。",
            ),
            mat(
                "bank_card",
                "本人社会保障卡（金融账户已激活）",
                kind="certificate",
                necessity="optional",
                source="government",
                acceptance_standard="用于发放失业保险金；未激活的可在线激活。",
            ),
        ],
        "steps": [
            step("accept", 0, "网上或窗口受理申请，同步办理失业登记。"),
            step("review", 2, "核对参保缴费记录、离职原因和就业状态。", name="审核"),
            step("decide", 1, "核定领取期限和标准。", name="核定"),
            step("certify", 0, "生成待遇核定结果。", name="出具结果"),
            step("deliver", 0, "短信和“苏服办”App推送核定结果，按月发放。", name="告知"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "主动辞职可以领失业保险金吗？",
                "不可以。失业保险金要求非因本人意愿中断就业；主动辞职的不符合条件。",
            ),
            (
                "领取失业保险金期间医保怎么办？",
                "领取期间由失业保险基金代缴基本医疗保险费，个人不缴纳，可以正常享受医保待遇。",
            ),
        ),
    },
    "impls": [
        impl("wx_rsj", "320200", "wx_hall", ["05"]),
        impl("jy_rsj", "320281", "jy_hall", ["01"]),
    ],
}

_EMP_CARD_FORM = form(
    "就业创业证申领表",
    required=[
        "applicant_name",
        "applicant_id_number",
        "contact_phone",
        "residence_address",
        "employment_status",
    ],
    optional=["education"],
    extra={
        "employment_status": choice(
            "就业状态", ["已就业", "自主创业", "灵活就业", "失业（有求职要求）"]
        ),
        "education": choice("文化程度", ["初中及以下", "高中/中专", "大专", "本科", "研究生"]),
    },
)

EMPLOYMENT_CARD: dict[str, Any] = {
    "key": "employment_card",
    "basic_code": "210070003000",
    "name": "就业创业证申领",
    "item_type": "21",
    "owner": "wx_rsj",
    "levels": ["city", "county", "town"],
    "legal_basis": [
        law(
            "《就业服务与就业管理规定》（原劳动和社会保障部令第28号）",
            "第六章",
            "就业和失业登记：公共就业服务机构为劳动者办理就业登记、失业登记，发放《就业创业证》。",
        ),
        law(
            "《中华人民共和国就业促进法》",
            "第三十五条",
            "县级以上人民政府建立健全公共就业服务体系，设立公共就业服务机构，为劳动者免费提供就业服务。",
        ),
    ],
    "tags": ["mashang", "wangshang", "zhangshang", "jiujin"],
    "topics": ["le_job"],
    "guide": {
        "audience": "person",
        "handling_kind": "immediate",
        "acceptance_conditions": (
            "1. 在法定劳动年龄内、有劳动能力的本市户籍人员或常住人员；\n"
            "2. 已就业、自主创业、灵活就业，或失业并有就业要求；\n"
            "3. 高校毕业生可在毕业学年内申领。"
        ),
        "promised_limit": 0,
        "promised_note": "当场办结；网上申领的即时生成电子就业创业证。",
        "result_name": "就业创业证（电子证照）",
        "result_type": "证照",
        "delivery_ways": ["electronic", "window"],
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [variant("first", "申领", _EMP_CARD_FORM)],
        "materials": [id_card(), proxy_papers()],
        "steps": [
            step("accept", 0, "网上或公共就业服务窗口受理。"),
            step("review", 0, "核验身份和就业失业状态。", name="核验"),
            step("decide", 0, "办理就业或失业登记。", name="登记"),
            step("certify", 0, "生成电子就业创业证。"),
            step("deliver", 0, "电子证照推送，需纸质证的当场打印。"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "就业创业证有什么用？",
                "是享受就业创业扶持政策（如创业担保贷款、社会保险补贴、税收优惠）的凭证，记录就业失业状态。",
            ),
            ("办证收费吗？", "不收费。公共就业服务机构免费办理。"),
        ),
    },
    "impls": [impl("wx_rsj", "320200", "wx_hall", ["05"])],
}

_PENSION_FORM = form(
    "基本养老保险待遇申领表",
    required=[
        "applicant_name",
        "applicant_id_number",
        "contact_phone",
        "retire_type",
        "bank_name",
        "bank_account",
    ],
    optional=["residence_address"],
    extra={
        "retire_type": choice("退休类型", ["按法定退休年龄退休", "弹性提前退休", "弹性延迟退休"])
    },
)

PENSION_APPROVAL: dict[str, Any] = {
    "key": "pension_approval",
    "basic_code": "050070004000",
    "name": "企业职工基本养老保险待遇核定",
    "item_type": "05",
    "owner": "wx_rsj",
    "levels": ["city", "county"],
    "legal_basis": [
        law(
            "《中华人民共和国社会保险法》",
            "第十六条",
            "参加基本养老保险的个人，达到法定退休年龄时累计缴费满十五年的，按月领取基本养老金。",
        ),
        law(
            "《国务院关于渐进式延迟法定退休年龄的办法》",
            "",
            "从2025年1月1日起逐步延迟法定退休年龄；职工可以自愿选择弹性提前或者弹性延迟退休；"
            "从2030年1月1日起，将职工按月领取基本养老金最低缴费年限由15年逐步提高至20年。",
        ),
    ],
    "tags": ["wangshang", "mianzheng", "zhangshang"],
    "topics": ["le_elderly"],
    "guide": {
        "audience": "person",
        "acceptance_conditions": (
            "1. 参加本市企业职工基本养老保险；\n"
            "2. 达到法定退休年龄（含按规定选择弹性提前或弹性延迟退休）；\n"
            "3. 累计缴费年限（含视同缴费年限）达到国家规定的最低缴费年限；\n"
            "4. 已按规定办理退休（职）手续。"
        ),
        "statutory_limit": 20,
        "statutory_note": NO_STATUTORY,
        "promised_limit": 5,
        "promised_note": "材料齐全的5个工作日内完成待遇核定，次月发放。",
        "result_name": "基本养老金核定表",
        "result_type": "其他",
        "delivery_ways": ["electronic", "window"],
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [
            variant("normal", "法定退休年龄退休", _PENSION_FORM),
            variant("flexible", "弹性退休", _PENSION_FORM),
        ],
        "materials": [
            id_card(),
            mat(
                "archives",
                "视同缴费年限认定材料",
                necessity="optional",
                source="other",
                source_note="人事档案由档案保管机构提供",
                acceptance_standard="有视同缴费年限的提交，档案记载完整。",
            ),
            mat(
                "flexible_request",
                "弹性退休书面申请",
                kind="form",
                variant="flexible",
                acceptance_standard="提前3个月提出，本人签字；选择弹性延迟的需与用人单位协商一致。",
            ),
        ],
        "steps": [
            step("accept", 0, "网上或窗口受理待遇申领。"),
            step("review", 3, "核对缴费年限、视同缴费年限、退休年龄。", name="审核"),
            step("decide", 2, "计发基本养老金，生成核定表。", name="核定"),
            step("certify", 0, "出具基本养老金核定表。", name="出具核定表"),
            step("deliver", 0, "电子推送，需要纸质的窗口打印。", name="告知"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "缴费不满最低年限怎么办？",
                "可以延长缴费至满最低缴费年限，也可以按规定转入城乡居民基本养老保险，享受相应待遇。",
            ),
            (
                "养老金什么时候开始发放？",
                "自办理退休手续并核定待遇的次月起按月发放至本人社会保障卡金融账户。",
            ),
        ),
    },
    "impls": [impl("wx_rsj", "320200", "wx_hall", ["05"])],
}

_EMPLOYER_FORM = form(
    "社会保险登记表（单位）",
    required=[
        "entity_name",
        "credit_code",
        "legal_rep_name",
        "business_address",
        "contact_phone",
        "employee_count",
    ],
    optional=["bank_name", "bank_account"],
)

EMPLOYER_INSURANCE: dict[str, Any] = {
    "key": "employer_insurance",
    "basic_code": "070070005000",
    "name": "单位社会保险登记",
    "item_type": "07",
    "owner": "wx_rsj",
    "levels": ["city", "county"],
    "legal_basis": [
        law(
            "《中华人民共和国社会保险法》",
            "第五十七条",
            "用人单位应当自成立之日起三十日内凭营业执照、登记证书或者单位印章，向当地社会保险经办机构"
            "申请办理社会保险登记。社会保险经办机构应当自收到申请之日起十五日内予以审核，发给社会保险登记证件。",
        ),
        SOCIAL_INSURANCE_NO,
    ],
    "tags": ["mashang", "wangshang", "mianzheng"],
    "topics": ["th_startup"],
    "guide": {
        "audience": "entity",
        "handling_kind": "immediate",
        "acceptance_conditions": (
            "1. 在本市依法设立的企业、个体经济组织、民办非企业单位等用人单位；\n"
            "2. 自成立之日起三十日内申请；\n"
            "3. 通过企业开办平台办理设立登记的，设立登记信息同步推送，无需另行申请。"
        ),
        "statutory_limit": 15,
        "statutory_unit": "natural_days",
        "statutory_note": "社会保险经办机构自收到申请之日起十五日内予以审核（《中华人民共和国社"
        "会保险法》第五十七条）。",
        "promised_limit": 0,
        "promised_note": "即时办结；企业开办一件事中与营业执照同步完成。",
        "result_name": "社会保险登记信息（营业执照即社会保险登记证件）",
        "result_type": "其他",
        "delivery_ways": ["electronic"],
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [variant("register", "参保登记", _EMPLOYER_FORM)],
        "materials": [
            business_licence(),
            mat(
                "bank_info",
                "单位银行账户信息",
                necessity="optional",
                acceptance_standard="用于社会保险费缴纳；可在开立账户后补充。",
            ),
        ],
        "steps": [
            step("accept", 0, "接收企业开办平台推送或网上申请。"),
            step("review", 0, "核验营业执照信息。", name="核验"),
            step("decide", 0, "办理参保登记，生成单位社保编号。", name="登记"),
            step("certify", 0, "营业执照加载社会保险登记信息。", name="出具结果"),
            step("deliver", 0, "电子推送登记结果。", name="告知"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "“五证合一”后还有社会保险登记证吗？",
                "不再单独发放社会保险登记证，营业执照即作为社会保险登记证件使用。",
            ),
            (
                "员工参保什么时候办？",
                "用人单位应当自用工之日起三十日内为职工申请办理社会保险登记，可在网上办理增员。",
            ),
        ),
    },
    "impls": [impl("wx_rsj", "320200", "wx_hall", ["05"])],
}

_SURVIVOR_FORM = form(
    "丧葬补助金、抚恤金申领表",
    required=[
        "deceased_name",
        "deceased_id_number",
        "death_date",
        "applicant_name",
        "applicant_id_number",
        "relation",
        "contact_phone",
        "bank_name",
        "bank_account",
    ],
    extra={
        "deceased_name": s("死者姓名"),
        "deceased_id_number": s("死者公民身份号码", pattern="^[0-9]{17}[0-9X]$"),
        "death_date": s("死亡日期", format="date"),
        "relation": s("申领人与死者关系"),
    },
)

SURVIVOR_BENEFIT: dict[str, Any] = {
    "key": "survivor_benefit",
    "basic_code": "050070006000",
    "name": "丧葬补助金、抚恤金申领",
    "item_type": "05",
    "owner": "wx_rsj",
    "levels": ["city", "county"],
    "legal_basis": [
        law(
            "《中华人民共和国社会保险法》",
            "第十七条",
            "参加基本养老保险的个人，因病或者非因工死亡的，其遗属可以领取丧葬补助金和抚恤金。",
        )
    ],
    "tags": ["wangshang", "mianzheng", "jiujin"],
    "topics": ["le_death"],
    "guide": {
        "audience": "person",
        "acceptance_conditions": (
            "1. 死者生前参加本市企业职工基本养老保险（含退休人员）；\n"
            "2. 因病或者非因工死亡；\n"
            "3. 申领人为死者的配偶、子女、父母等法定遗属，多名遗属的协商一致后由一人申领。"
        ),
        "statutory_limit": 20,
        "statutory_note": NO_STATUTORY,
        "promised_limit": 5,
        "promised_note": "材料齐全的5个工作日内核定并发放至申领人银行账户。",
        "result_name": "丧葬补助金、抚恤金核定结果",
        "result_type": "其他",
        "delivery_ways": ["electronic"],
        "online_depth": 3,
        "onsite_trips": 1,
        "variants": [variant("claim", "申领", _SURVIVOR_FORM)],
        "materials": [
            mat(
                "death_proof",
                "死亡证明",
                kind="certificate",
                source="government",
                source_note="居民死亡医学证明、火化证明或户口注销证明；已通过信息共享获取的无需提交",
                acceptance_standard="载明死亡时间和原因。",
            ),
            id_card("申领人", code="applicant_id"),
            household_register(
                "",
                code="kinship_proof",
                filling_notes="用于证明申领人与死者的亲属关系；也可提交其他亲属关系证明。",
            ),
            mat(
                "heirs_agreement",
                "遗属协商一致的书面意见",
                kind="form",
                necessity="optional",
                acceptance_standard="有多名法定遗属的，由其他遗属签字同意由申领人领取。",
            ),
        ],
        "steps": [
            step("accept", 0, "窗口或网上受理。"),
            step("review", 3, "核对死亡信息、参保缴费和遗属关系。", name="审核"),
            step("decide", 2, "核定丧葬补助金和抚恤金。", name="核定"),
            step("certify", 0, "生成核定结果。", name="出具结果"),
            step("deliver", 0, "发放至申领人银行账户并短信告知。", name="发放"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "个人账户里的余额怎么办？",
                "参保人员死亡的，其个人账户余额可以依法继承，与丧葬补助金、抚恤金一并申领。",
            ),
            (
                "有没有申领期限？",
                "请在参保人员死亡后尽快申领；参保人员死亡后继续发放的基本养老金，将从应发待遇中扣回。",
            ),
        ),
    },
    "impls": [impl("wx_rsj", "320200", "wx_hall", ["05"])],
}

ENTRIES: list[dict[str, Any]] = [
    SOCIAL_SECURITY_CARD,
    UNEMPLOYMENT_BENEFIT,
    EMPLOYMENT_CARD,
    PENSION_APPROVAL,
    EMPLOYER_INSURANCE,
    SURVIVOR_BENEFIT,
]
