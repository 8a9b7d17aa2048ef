"""公安: identity cards, household registration, driving licences, seals."""

from __future__ import annotations

from typing import Any

from yiwang.demo.catalog_data.common import (
    app_form,
    business_licence,
    certificate,
    choice,
    faqs,
    fee,
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

HUKOU_RULES = law(
    "《中华人民共和国户口登记条例》",
    "第三条",
    "户口登记工作，由各级公安机关主管。城市和设有公安派出所的镇，以公安派出所管辖区为户口管辖区。",
)
HUKOU_NOTE = (
    "法律、行政法规未规定办理时限，按照公安机关户政业务工作规范执行，最长不超过20个工作日。"
)

_ID_FORM = form(
    "居民身份证申领登记表",
    required=[
        "applicant_name",
        "applicant_id_number",
        "contact_phone",
        "household_address",
        "reason",
        "receive_way",
    ],
    optional=["mail_address"],
    extra={
        "reason": choice(
            "换领原因", ["有效期满", "证件严重损坏", "登记项目变更", "登记项目错误更正"]
        )
    },
)

ID_CARD_RENEW: dict[str, Any] = {
    "key": "id_card_renew",
    "basic_code": "070040001000",
    "name": "居民身份证换领",
    "item_type": "07",
    "owner": "wx_gaj",
    "levels": ["county"],
    "legal_basis": [
        law(
            "《中华人民共和国居民身份证法》",
            "第八条",
            "居民身份证由居民常住户口所在地的县级人民政府公安机关签发。",
        ),
        law(
            "《中华人民共和国居民身份证法》",
            "第十一条",
            "居民身份证有效期满、公民姓名变更或者证件严重损坏不能辨认的，应当申请换领新证；"
            "居民身份证登记项目出现错误的，公安机关应当及时更正，换发新证。",
        ),
        law(
            "《中华人民共和国居民身份证法》",
            "第二十条",
            "公民申请领取、换领、补领居民身份证，应当缴纳证件工本费。对城市中领取最低生活保障金的居民、"
            "农村中有特殊生活困难的居民，在其初次申请领取和换领居民身份证时，免收工本费。",
        ),
    ],
    "tags": ["kuasheng", "jiujin", "zhangshang"],
    "topics": ["le_id"],
    "guide": {
        "audience": "person",
        "general_area": "全国（跨省通办：可在常住户口所在地或现居住地公安机关申请）",
        "acceptance_conditions": (
            "1. 居民身份证有效期满（可在有效期满前三个月内申请）；\n"
            "2. 证件严重损坏不能辨认；\n"
            "3. 姓名等登记项目已依法变更，或者登记项目出现错误需要更正；\n"
            "4. 申请人本人到场采集人像和指纹信息（未满十六周岁的由监护人陪同）。"
        ),
        "statutory_limit": 60,
        "statutory_unit": "natural_days",
        "statutory_note": "公安机关应当自公民提交《居民身份证申领登记表》之日起六十日内发放居民"
        "身份证"
        "（《中华人民共和国居民身份证法》）。",
        "promised_limit": 20,
        "promised_unit": "natural_days",
        "promised_note": "本市受理的，自受理之日起20个自然日内制证送达；异地受理的可能略有延长。",
        "result_name": "中华人民共和国居民身份证",
        "result_type": "证照",
        "online_depth": 2,
        "onsite_trips": 1,
        "online_payment": True,
        "variants": [
            variant("expire", "有效期满换领", _ID_FORM),
            variant("damaged", "损坏换领", _ID_FORM),
            variant("change", "登记项目变更换领", _ID_FORM),
        ],
        "materials": [
            certificate(
                "old_id_card",
                "原居民身份证",
                "id_card",
                "公安机关核发",
                "交回原证；证件严重损坏的交回残证。",
                legal_basis="《中华人民共和国居民身份证法》第十一条",
            ),
            household_register(
                necessity="optional",
                filling_notes="在户籍地办理的交验居民户口簿；跨省异地换领的无需提供。",
            ),
            mat(
                "photo",
                "本人近期免冠彩色数码相片",
                form="electronic",
                source="other",
                source_note="受理窗口现场免费拍摄，或持具备资质的照相馆出具的数码相片回执",
                acceptance_standard="符合《居民身份证制证用数字相片技术标准》（GA 461），"
                "白色背景，不着制式服装。",
            ),
            mat(
                "change_proof",
                "登记项目变更或更正的证明材料",
                necessity="optional",
                variant="change",
                acceptance_standard="户口簿登记项目已变更的无需提供；需更正的提交相关证明。",
            ),
        ],
        "steps": [
            step("accept", 0, "窗口核验身份，采集人像、指纹信息，收取工本费，出具受理回执。"),
            step(
                "review",
                2,
                "县级公安机关审核申领信息，与常住人口信息比对。",
                name="审核",
                unit="natural_days",
            ),
            step(
                "decide",
                1,
                "县级公安机关签发，上传省级制证中心。",
                name="签发",
                unit="natural_days",
            ),
            step("certify", 12, "省公安厅制证中心统一制证。", unit="natural_days"),
            step("deliver", 5, "送达受理窗口，申请人凭回执领取或邮寄送达。", unit="natural_days"),
        ],
        "fees": [
            fee(
                "居民身份证工本费（有效期满、登记项目变更换领）",
                "20元/证",
                "《中华人民共和国居民身份证法》第二十条；《国家发展改革委 财政部关于第二代居民身"
                "份证收费"
                "标准及有关问题的通知》（发改价格〔2003〕2322号）",
                reducible=True,
                note="城市中领取最低生活保障金的居民、农村中有特殊生活困难的居民，在其初次申领和换领时免收。",
            ),
            fee(
                "居民身份证工本费（损坏换领）",
                "40元/证",
                "《国家发展改革委 财政部关于第二代居民身份证收费标准及有关问题的通知》（发改价格"
                "〔2003〕2322号）",
            ),
            fee(
                "临时居民身份证工本费",
                "10元/证（申请人需要办理临时居民身份证的）",
                "《国家发展改革委 财政部关于第二代居民身份证收费标准及有关问题的通知》（发改价格"
                "〔2003〕2322号）",
            ),
        ],
        "faqs": faqs(
            (
                "身份证快到期了，最早什么时候可以换？",
                "可以在有效期满前三个月内申请换领；已过期的证件应当尽快换领，过期期间证件不能作为有效身份证明使用。",
            ),
            (
                "户口不在无锡，可以在无锡换身份证吗？",
                "可以。居民身份证异地受理已实现全国范围“跨省通办”，可在现居住地任一公安机关户籍窗口申请换领，"
                "无需提供户口簿。",
            ),
            (
                "换证期间要坐高铁、乘飞机怎么办？",
                "可以同时申请办理临时居民身份证（当场或次日领取）；也可以在车站、机场公安制证点办理临时乘车、"
                "乘机身份证明。",
            ),
        ),
    },
    "impls": [
        impl("lx_gafj", "320213", "lx_hall", ["02"]),
        impl("jy_gaj", "320281", "jy_hall", ["02"]),
    ],
}

_MOVE_FORM = form(
    "户口迁移申请表",
    required=[
        "applicant_name",
        "applicant_id_number",
        "contact_phone",
        "household_address",
        "move_to_address",
        "move_members",
    ],
    optional=["apply_reason"],
    extra={
        "move_to_address": s("迁入地址", maxLength=200),
        "move_members": s("随迁人员姓名及与申请人关系", maxLength=300),
    },
)

HUKOU_MOVE: dict[str, Any] = {
    "key": "hukou_move",
    "basic_code": "070040002000",
    "name": "户口迁移（市内）",
    "item_type": "07",
    "owner": "wx_gaj",
    "levels": ["county"],
    "legal_basis": [
        HUKOU_RULES,
        law(
            "《中华人民共和国户口登记条例》",
            "第十条",
            "公民迁出本户口管辖区，由本人或者户主在迁出前向户口登记机关申报迁出登记，领取迁移证件，注销户口。",
        ),
        law(
            "《中华人民共和国户口登记条例》",
            "第十三条",
            "公民迁移，从到达迁入地的时候起，城市在三日以内，农村在十日以内，由本人或者户主持迁移证件"
            "向户口登记机关申报迁入登记，缴销迁移证件。",
        ),
        law(
            "《国务院关于进一步推进户籍制度改革的意见》（国发〔2014〕25号）",
            "",
            "建立城乡统一的户口登记制度，以合法稳定住所（含租赁）或合法稳定就业为户口迁移的基本条件。",
        ),
    ],
    "tags": ["mashang", "jiujin", "quanyu", "shengnei", "mianzheng"],
    "topics": ["le_housing", "le_id"],
    "guide": {
        "audience": "person",
        "handling_kind": "immediate",
        "general_area": "江苏省内（省内户口迁移“一站式”办理，只需到迁入地办理）",
        "acceptance_conditions": (
            "本市户籍居民在全市范围内迁移户口，符合下列情形之一：\n"
            "1. 在迁入地拥有合法产权住房的，本人及其配偶、未成年子女和父母可以迁入；\n"
            "2. 夫妻投靠、未成年子女投靠父母、父母投靠子女，被投靠人同意的；\n"
            "3. 在单位集体户、社区公共户落户的其他情形。\n"
            "迁入地在本市范围内的，实行迁入地一站式办理，无需回迁出地开具迁移证。"
        ),
        "statutory_limit": 20,
        "statutory_note": HUKOU_NOTE,
        "promised_limit": 0,
        "promised_note": "材料齐全、符合条件的当场办结。",
        "result_name": "居民户口簿（迁入地户口登记）",
        "result_type": "证照",
        "delivery_ways": ["window"],
        "online_depth": 3,
        "onsite_trips": 1,
        "variants": [
            variant("housing", "购房（合法稳定住所）迁移", _MOVE_FORM),
            variant("kin", "亲属投靠迁移", _MOVE_FORM),
        ],
        "materials": [
            id_card(),
            household_register("迁出地"),
            certificate(
                "property_certificate",
                "迁入地不动产权证书",
                "real_estate_certificate",
                "不动产登记机构核发",
                "权利人为申请人本人或其配偶；已通过不动产登记信息共享核验的无需提交。",
                variant="housing",
            ),
            mat(
                "kinship_proof",
                "亲属关系证明",
                kind="certificate",
                source="government",
                variant="kin",
                acceptance_standard="结婚证、出生医学证明或者户口簿中能证明亲属关系的页面；可通过信息共享核验的"
                "无需提交。",
            ),
            mat(
                "host_consent",
                "被投靠人（户主）同意入户的书面意见",
                kind="form",
                variant="kin",
                acceptance_standard="被投靠人或户主签字，并注明与申请人关系。",
            ),
            proxy_papers(),
        ],
        "steps": [
            step("accept", 0, "迁入地户籍窗口受理，核验迁移条件。"),
            step("review", 0, "审核迁入条件，通过省人口信息系统核查迁出地户口信息。", name="审核"),
            step("decide", 0, "办理迁入登记，迁出地户口同步迁出。", name="审批"),
            step("certify", 0, "打印居民户口簿迁入人员信息页。", name="出具户口簿"),
            step("deliver", 0, "当场交付。"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "从梁溪区迁到江阴市需要两头跑吗？",
                "不需要。江苏省内户口迁移实行“一站式”办理，申请人直接到迁入地公安派出所或户籍窗口申请即可。",
            ),
            (
                "迁户口后身份证需要换吗？",
                "居民身份证号码不因户口迁移而改变，证件在有效期内可继续使用；如需更新住址信息可自愿换领。",
            ),
        ),
    },
    "impls": [impl("lx_gafj", "320213", "lx_hall", ["02"])],
}

_NEWBORN_FORM = form(
    "出生登记申报表",
    required=[
        "child_name",
        "child_gender",
        "child_birth_date",
        "birth_hospital",
        "mother_name",
        "mother_id_number",
        "father_name",
        "father_id_number",
        "household_address",
        "follow_parent",
        "ethnicity",
        "contact_phone",
    ],
    optional=["applicant_name", "applicant_id_number"],
    extra={
        "follow_parent": choice("随父或随母落户", ["随父", "随母"]),
        "ethnicity": s("民族", maxLength=10),
    },
)

NEWBORN_HUKOU: dict[str, Any] = {
    "key": "newborn_hukou",
    "basic_code": "070040003000",
    "name": "新生儿入户（出生登记）",
    "item_type": "07",
    "owner": "wx_gaj",
    "levels": ["county", "city"],
    "legal_basis": [
        HUKOU_RULES,
        law(
            "《中华人民共和国户口登记条例》",
            "第七条",
            "婴儿出生后一个月以内，由户主、亲属、抚养人或者邻居向婴儿常住地户口登记机关申报出生登记。",
        ),
        law(
            "《国务院办公厅关于解决无户口人员登记户口问题的意见》（国办发〔2015〕96号）",
            "",
            "不符合计划生育政策的新生儿，也可以依据《出生医学证明》办理常住户口登记。",
        ),
    ],
    "tags": ["mashang", "wangshang", "zhangshang", "mianzheng", "jiujin"],
    "topics": ["le_birth", "le_id"],
    "guide": {
        "audience": "person",
        "handling_kind": "immediate",
        "acceptance_conditions": (
            "1. 新生儿父母一方为本市常住户口；\n"
            "2. 新生儿已取得《出生医学证明》；\n"
            "3. 出生后一个月以内申报（超过一个月的可以补报，按补录程序办理）；\n"
            "4. 随父或随母落户自愿选择，落户地址为父亲或母亲的常住户口所在地。"
        ),
        "statutory_limit": 20,
        "statutory_note": HUKOU_NOTE,
        "promised_limit": 0,
        "promised_note": "材料齐全的当场办结；通过“新生儿出生一件事”网上申请的1个工作日内办结并"
        "邮寄户口簿。",
        "result_name": "居民户口簿（新生儿常住户口登记页）",
        "result_type": "证照",
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [variant("birth", "出生登记", _NEWBORN_FORM)],
        "materials": [
            certificate(
                "birth_certificate",
                "出生医学证明",
                "birth_certificate",
                "助产医疗机构签发",
                "首页信息完整，与申报信息一致；已签发电子出生医学证明的通过信息共享获取，无需提交。",
            ),
            household_register("父母"),
            id_card("父母", code="parents_id"),
            certificate(
                "marriage_certificate",
                "父母结婚证",
                "marriage_certificate",
                "婚姻登记机关核发",
                "随父落户且父母已登记结婚的提交；可通过婚姻登记信息共享核验的无需提交。",
                necessity="optional",
            ),
        ],
        "steps": [
            step("accept", 0, "户籍窗口或网上受理出生登记申报。"),
            step("review", 0, "核验出生医学证明及父母户籍信息。", name="审核"),
            step("decide", 0, "办理出生登记，编制公民身份号码。", name="登记"),
            step("certify", 0, "打印户口簿新生儿常住人口登记卡页。", name="出具户口簿"),
            step("deliver", 0, "当场交付，网上申请的免费邮寄。"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "孩子出生超过一个月还能报户口吗？",
                "可以。超过一个月的仍可申报出生登记，户籍民警会按补录程序核实后办理，请尽早申报。",
            ),
            (
                "不想跑派出所，能网上办理吗？",
                "可以。通过“苏服办”App或江苏政务服务网的“新生儿出生一件事”，一次申请即可同时办理出生医学证明、"
                "户口登记、医保参保和社会保障卡申领，户口簿免费邮寄到家。",
            ),
        ),
    },
    "impls": [
        impl("wx_gaj", "320200", "wx_hall", ["04"]),
        impl("lx_gafj", "320213", "lx_hall", ["02"]),
    ],
}

DRIVING_LICENCE_PARENT: dict[str, Any] = {
    "key": "driving_licence",
    "basic_code": "010040004000",
    "name": "机动车驾驶证核发、审验",
    "item_type": "01",
    "owner": "wx_gaj",
    "levels": ["city"],
    "legal_basis": [
        law(
            "《中华人民共和国道路交通安全法》",
            "第十九条",
            "驾驶机动车，应当依法取得机动车驾驶证。",
        ),
        law(
            "《机动车驾驶证申领和使用规定》（公安部令第162号）",
            "",
            "规定机动车驾驶证的申请、考试、发证、换证、补证、审验和注销。",
        ),
    ],
    "impls": [],
}

_DL_FORM = form(
    "机动车驾驶证申请表",
    required=[
        "applicant_name",
        "applicant_id_number",
        "contact_phone",
        "licence_number",
        "receive_way",
    ],
    optional=["mail_address"],
    extra={"licence_number": s("驾驶证档案编号", pattern="^[0-9]{12}$")},
)

DRIVING_LICENCE_RENEW: dict[str, Any] = {
    "key": "driving_licence_renew",
    "basic_code": "010040004001",
    "parent": "driving_licence",
    "name": "机动车驾驶证换证",
    "item_type": "01",
    "owner": "wx_gaj",
    "levels": ["city"],
    "legal_basis": [
        law(
            "《中华人民共和国道路交通安全法》",
            "第十九条",
            "驾驶机动车，应当依法取得机动车驾驶证。",
        ),
        law(
            "《机动车驾驶证申领和使用规定》（公安部令第162号）",
            "",
            "机动车驾驶人应当于机动车驾驶证有效期满前九十日内，向机动车驾驶证核发地或者核发地以外的"
            "车辆管理所申请换证。",
        ),
    ],
    "tags": ["kuasheng", "wangshang", "zhangshang", "jiujin", "mashang"],
    "topics": ["le_travel"],
    "guide": {
        "audience": "person",
        "handling_kind": "immediate",
        "general_area": "全国（跨省通办）",
        "acceptance_conditions": (
            "1. 机动车驾驶证有效期满前九十日内申请，或者驾驶人信息发生变化、证件损毁无法辨认；\n"
            "2. 身体条件符合申请相应准驾车型的要求（年龄在60周岁以上、申请大中型客货车准驾车型的，"
            "需提交身体条件证明）；\n"
            "3. 驾驶证未被吊销、注销，无未处理完毕的交通事故。"
        ),
        "statutory_limit": 1,
        "statutory_note": "车辆管理所对符合规定的，应当在受理之日起一日内换发机动车驾驶证。",
        "promised_limit": 0,
        "promised_note": "窗口当场换发；通过“交管12123”App申请的，审核通过后邮寄送达。",
        "result_name": "中华人民共和国机动车驾驶证",
        "result_type": "证照",
        "online_depth": 4,
        "onsite_trips": 0,
        "online_payment": True,
        "variants": [
            variant("expire", "有效期满换证", _DL_FORM),
            variant("change", "信息变化换证", _DL_FORM),
            variant("damaged", "损毁换证", _DL_FORM),
        ],
        "materials": [
            id_card(),
            certificate(
                "driving_licence",
                "机动车驾驶证",
                "driving_licence",
                "公安机关交通管理部门核发",
                "交回原驾驶证；已申领电子驾驶证的可核验电子证照。",
            ),
            mat(
                "medical",
                "机动车驾驶人身体条件证明",
                kind="certificate",
                necessity="optional",
                source="other",
                source_note="县级或者部队团级以上医疗机构出具；体检信息已联网上传的无需提交纸质证明",
                acceptance_standard="六个月内出具；年龄在60周岁以上或持大中型客货车准驾车型的必须提交。",
            ),
            mat(
                "photo",
                "本人近期免冠彩色照片",
                form="electronic",
                source="other",
                source_note="可使用公安机关人像库照片，或具备资质的照相馆出具的数码相片",
                acceptance_standard="白色背景，符合驾驶证照片标准。",
            ),
        ],
        "steps": [
            step("accept", 0, "窗口或“交管12123”App受理，核验身份和驾驶证状态。"),
            step("review", 0, "审核身体条件证明及交通违法、事故处理情况。"),
            step("decide", 0, "符合规定的予以换证。", name="审批"),
            step("certify", 0, "打印机动车驾驶证，同步更新电子驾驶证。"),
            step("deliver", 0, "当场领取，或邮政寄递送达。"),
        ],
        "fees": [
            fee(
                "机动车驾驶证工本费",
                "10元/证",
                "《国家发展改革委 财政部关于公安交通管理部门收取机动车号牌工本费等收费标准的通知》"
                "（发改价格〔2004〕2831号）",
            )
        ],
        "faqs": faqs(
            (
                "驾驶证过期了怎么办？",
                "超过有效期不满一年的，可直接申请换证；超过有效期一年以上未换证的，驾驶证将被注销，"
                "注销后两年内可申请恢复驾驶资格（需考试科目一）。",
            ),
            (
                "在外地可以换无锡发的驾驶证吗？",
                "可以。有效期满换证已实现全国通办，可在任一车辆管理所或通过“交管12123”App申请。",
            ),
            (
                "需要自己去医院体检吗？",
                "60周岁以下、准驾车型为小型汽车等的驾驶人换证无需提交身体条件证明；需要提交的，"
                "可到联网医疗机构体检，体检结果自动上传。",
            ),
        ),
    },
    "impls": [impl("wx_gaj", "320200", "wx_hall", ["04"])],
}

_SEAL_FORM = form(
    "印章刻制申请表",
    required=["entity_name", "credit_code", "legal_rep_name", "contact_phone", "seal_types"],
    optional=["applicant_name", "applicant_id_number"],
    extra={
        "seal_types": {
            "type": "array",
            "title": "刻制印章种类",
            "items": {
                "type": "string",
                "enum": ["公章", "财务专用章", "发票专用章", "合同专用章", "法定代表人名章"],
            },
            "minItems": 1,
        }
    },
)

SEAL_FILING: dict[str, Any] = {
    "key": "seal_filing",
    "basic_code": "200040005000",
    "name": "公章刻制备案",
    "item_type": "20",
    "owner": "wx_gaj",
    "levels": ["county", "city"],
    "legal_basis": [
        law(
            "《印铸刻字业暂行管理规则》",
            "",
            "印铸刻字业由公安机关管理，承制机关、团体、企业等单位的公章应当查验用章单位的证明文件并登记。",
        ),
        law(
            "《国务院关于第三批取消中央指定地方实施行政许可事项的决定》（国发〔2017〕7号）",
            "",
            "取消公章刻制审批，改为备案管理，公安机关加强事中事后监管。",
        ),
    ],
    "tags": ["mashang", "wangshang", "mianzheng"],
    "topics": ["th_startup"],
    "guide": {
        "audience": "entity",
        "handling_kind": "immediate",
        "acceptance_conditions": (
            "1. 申请单位已依法取得营业执照或者其他设立证明；\n"
            "2. 到经公安机关备案的公章刻制企业刻制，由刻制企业通过治安管理信息系统实时备案；\n"
            "3. 新开办企业的首套印章（公章、财务专用章、发票专用章、合同专用章、法定代表人名章）"
            "由政府购买服务免费刻制。"
        ),
        "statutory_limit": 1,
        "statutory_note": "备案类事项，信息齐全的当场备案。",
        "promised_limit": 0,
        "promised_note": "当场备案；企业开办一件事中与营业执照同步领取印章。",
        "result_name": "印章刻制备案信息",
        "result_type": "其他",
        "delivery_ways": ["window", "mail"],
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [variant("new", "新刻", _SEAL_FORM)],
        "materials": [
            app_form(
                "印章刻制申请表",
                filling_notes="通过企业开办平台一表填报的自动生成，无需另行填写。",
            ),
            business_licence(),
            id_card("法定代表人（负责人）", code="legal_rep_id"),
            proxy_papers(),
        ],
        "steps": [
            step("accept", 0, "企业开办平台或刻制企业受理，核验营业执照信息。"),
            step("review", 0, "核验经办人身份，比对印模信息。", name="核验"),
            step("decide", 0, "刻制企业刻制并实时上传印模，公安机关完成备案。", name="备案"),
            step("certify", 0, "交付印章实物。", name="交付印章"),
            step("deliver", 0, "企业开办专窗与营业执照一并领取，或免费寄递。"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "新办企业刻章要钱吗？",
                "新开办企业首套印章（公章、财务专用章、发票专用章、合同专用章、法定代表人名章）免费刻制，"
                "费用由政府承担；补刻、增刻的由企业自行承担。",
            ),
            (
                "可以自己选刻章店吗？",
                "可以。申请人可在平台公布的已备案刻制企业中自主选择，任何单位不得指定刻制企业。",
            ),
        ),
    },
    "impls": [impl("wx_gaj", "320200", "wx_hall", ["02"])],
}

_DEATH_FORM = form(
    "死亡登记申报表",
    required=[
        "deceased_name",
        "deceased_id_number",
        "death_date",
        "applicant_name",
        "applicant_id_number",
        "relation",
        "contact_phone",
    ],
    extra={
        "deceased_name": s("死者姓名"),
        "deceased_id_number": s("死者公民身份号码", pattern="^[0-9]{17}[0-9X]$"),
        "death_date": s("死亡日期", format="date"),
        "relation": s("申报人与死者关系"),
    },
)

DEATH_DEREG: dict[str, Any] = {
    "key": "death_dereg",
    "basic_code": "070040006000",
    "name": "户口注销（死亡）",
    "item_type": "07",
    "owner": "wx_gaj",
    "levels": ["county"],
    "legal_basis": [
        HUKOU_RULES,
        law(
            "《中华人民共和国户口登记条例》",
            "第八条",
            "公民死亡，城市在葬前，农村在一个月以内，由户主、亲属、抚养人或者邻居向户口登记机关申报死亡"
            "登记，注销户口。",
        ),
    ],
    "tags": ["mashang", "jiujin", "mianzheng"],
    "topics": ["le_death", "le_id"],
    "guide": {
        "audience": "person",
        "handling_kind": "immediate",
        "acceptance_conditions": (
            "1. 死者生前为本辖区常住户口；\n"
            "2. 由户主、亲属、抚养人或者邻居申报，城市在葬前申报；\n"
            "3. 已取得居民死亡医学证明（推断）书或者其他死亡证明。"
        ),
        "statutory_limit": 20,
        "statutory_note": HUKOU_NOTE,
        "promised_limit": 0,
        "promised_note": "当场办结；通过“身后一件事”联办的，由医疗机构或殡仪馆信息推送后主动办理。",
        "result_name": "户口注销证明",
        "result_type": "其他",
        "delivery_ways": ["window", "electronic"],
        "online_depth": 3,
        "onsite_trips": 1,
        "variants": [variant("death", "死亡注销", _DEATH_FORM)],
        "materials": [
            mat(
                "death_certificate",
                "居民死亡医学证明（推断）书",
                kind="certificate",
                source="government",
                source_note="医疗卫生机构出具；信息已共享的无需提交",
                acceptance_standard="第四联（公安机关保存联）原件。",
            ),
            household_register("死者"),
            certificate(
                "deceased_id",
                "死者居民身份证",
                "id_card",
                "公安机关核发",
                "交回死者居民身份证；遗失的在申报时说明。",
            ),
            id_card("申报人", code="applicant_id"),
        ],
        "steps": [
            step("accept", 0, "户籍窗口受理死亡登记申报。"),
            step("review", 0, "核验死亡证明和户籍信息。", name="审核"),
            step("decide", 0, "办理死亡注销，收缴居民身份证。", name="注销"),
            step("certify", 0, "出具户口注销证明。", name="出具证明"),
            step("deliver", 0, "当场交付。"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "户口注销证明有什么用？",
                "可用于办理遗产继承、社保待遇终止、不动产继承登记等；本市相关部门已实现信息共享的，"
                "无需另行提交。",
            ),
            (
                "家属在外地，可以委托他人申报吗？",
                "可以由户主、亲属、抚养人或者邻居申报，申报人须持本人身份证件。",
            ),
        ),
    },
    "impls": [impl("lx_gafj", "320213", "lx_hall", ["02"])],
}

ENTRIES: list[dict[str, Any]] = [
    ID_CARD_RENEW,
    HUKOU_MOVE,
    NEWBORN_HUKOU,
    DRIVING_LICENCE_PARENT,
    DRIVING_LICENCE_RENEW,
    SEAL_FILING,
    DEATH_DEREG,
]
