"""教育: teacher qualification, private schools, primary-school enrolment."""

from __future__ import annotations

from typing import Any

from yiwang.demo.catalog_data.common import (
    app_form,
    certificate,
    choice,
    faqs,
    form,
    household_register,
    id_card,
    impl,
    law,
    mat,
    num,
    proxy_papers,
    s,
    step,
    variant,
)

_TEACHER_FORM = form(
    "教师资格认定申请表",
    required=[
        "applicant_name",
        "applicant_id_number",
        "contact_phone",
        "residence_address",
        "qualification_type",
        "subject",
        "education",
        "exam_certificate_number",
    ],
    extra={
        "qualification_type": choice(
            "申请资格种类",
            ["高级中学教师资格", "中等职业学校教师资格", "中等职业学校实习指导教师资格"],
        ),
        "subject": s("任教学科"),
        "education": choice("最高学历", ["大学本科", "硕士研究生", "博士研究生"]),
        "exam_certificate_number": s("中小学教师资格考试合格证明编号"),
    },
)

TEACHER_QUALIFICATION: dict[str, Any] = {
    "key": "teacher_qualification",
    "basic_code": "010030001000",
    "name": "教师资格认定",
    "item_type": "01",
    "owner": "wx_jyj",
    "levels": ["county", "city"],
    "legal_basis": [
        law(
            "《中华人民共和国教师法》",
            "第十条",
            "国家实行教师资格制度。中国公民凡遵守宪法和法律，热爱教育事业，具有良好的思想品德，具备本法规定"
            "的学历或者经国家教师资格考试合格，有教育教学能力，经认定合格的，可以取得教师资格。",
        ),
        law(
            "《中华人民共和国教师法》",
            "第十三条",
            "中小学教师资格由县级以上地方人民政府教育行政部门认定。",
        ),
        law(
            "《〈教师资格条例〉实施办法》（教育部令第10号）",
            "",
            "教师资格认定机构应当在受理申请期限终止之日起30个法定工作日内作出是否认定教师资格的结论。",
        ),
    ],
    "tags": ["wangshang", "mianzheng"],
    "topics": ["le_job", "th_education"],
    "guide": {
        "audience": "person",
        "acceptance_conditions": (
            "1. 中国公民，遵守宪法和法律，热爱教育事业，具有良好的思想品德；\n"
            "2. 具备《中华人民共和国教师法》规定的相应学历（高级中学教师资格须本科及以上）；\n"
            "3. 参加中小学教师资格考试合格且在有效期内（免考认定改革的师范生凭教育教学能力测试合"
            "格证明）；\n"
            "4. 普通话水平达到二级乙等及以上（语文学科为二级甲等及以上）；\n"
            "5. 经指定医院体检合格；\n"
            "6. 户籍、居住证或者就读学校所在地在本市。\n"
            "本事项按年度分春季、秋季两批集中受理，具体时间以教育局公告为准。"
        ),
        "statutory_limit": 30,
        "statutory_note": "自受理申请期限终止之日起30个法定工作日内作出结论（《〈教师资格条例〉"
        "实施办法》）。",
        "promised_limit": 20,
        "promised_note": "自受理申请期限终止之日起20个工作日内作出结论。",
        "result_name": "教师资格证书（含电子证照）",
        "result_type": "证照",
        "online_depth": 3,
        "onsite_trips": 1,
        "variants": [
            variant("senior", "高级中学教师资格认定", _TEACHER_FORM),
            variant("vocational", "中等职业学校教师资格认定", _TEACHER_FORM),
        ],
        "materials": [
            app_form(
                "教师资格认定申请表",
                form="electronic",
                filling_notes="在中国教师资格网在线填报，照片须为近6个月内免冠正面证件照。",
            ),
            id_card(),
            mat(
                "education_certificate",
                "学历证书",
                kind="certificate",
                source="government",
                source_note="通过学信网学历信息共享核验；无法核验的提交学历认证报告",
                acceptance_standard="学历层次符合申请资格种类要求。",
            ),
            certificate(
                "mandarin_certificate",
                "普通话水平测试等级证书",
                "mandarin_certificate",
                "语言文字工作部门核发",
                "等级符合要求；已通过信息共享核验的无需提交。",
            ),
            mat(
                "medical_exam",
                "教师资格认定体检表",
                kind="certificate",
                source="other",
                source_note="认定机构指定的县级以上医院体检",
                acceptance_standard="体检结论为合格，在有效期内。",
            ),
            mat(
                "conduct_pledge",
                "个人思想品德鉴定或承诺书",
                kind="form",
                acceptance_standard="在职人员由所在单位出具鉴定，其他人员签署个人承诺书。",
            ),
        ],
        "steps": [
            step("accept", 0, "网上报名，按预约时间现场确认，核验材料原件。"),
            step("review", 10, "审查学历、考试、普通话、体检等材料。"),
            step(
                "expert",
                10,
                "对非师范教育类专业毕业人员进行教育教学能力测试，测试时间不计入时限。",
                name="教育教学能力测试",
            ),
            step("decide", 5, "认定机构作出是否认定的结论。", name="认定"),
            step("certify", 3, "制作教师资格证书，同步生成电子证照。"),
            step("deliver", 2, "邮寄或集中发放证书。"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "教师资格认定一年能申请几次？",
                "本市每年分春季、秋季两批集中受理，不在受理期内的暂停受理，下一批次时间以市教育局公告为准。",
            ),
            (
                "笔试面试合格证明有效期多久？",
                "中小学教师资格考试合格证明有效期为3年，须在有效期内申请认定。",
            ),
        ),
    },
    "impls": [impl("wx_jyj", "320200", "wx_hall", ["01"])],
}

_SCHOOL_FORM = form(
    "民办学校设立申请表",
    required=[
        "entity_name",
        "sponsor_name",
        "legal_rep_name",
        "contact_phone",
        "business_address",
        "school_type",
        "enrolment_scale",
        "start_funds",
    ],
    optional=["credit_code", "business_area"],
    extra={
        "sponsor_name": s("举办者名称（姓名）"),
        "school_type": choice(
            "学校类型", ["普通高中", "中等职业学校", "非学科类校外培训机构", "其他文化教育类学校"]
        ),
        "enrolment_scale": {"type": "integer", "title": "拟招生规模（人）", "minimum": 1},
        "start_funds": num("开办资金（万元）"),
    },
)

PRIVATE_SCHOOL: dict[str, Any] = {
    "key": "private_school",
    "basic_code": "010030002000",
    "name": "民办学校设立",
    "item_type": "01",
    "owner": "wx_jyj",
    "levels": ["county", "city"],
    "legal_basis": [
        law(
            "《中华人民共和国民办教育促进法》",
            "第十二条",
            "举办实施学历教育、学前教育、自学考试助学及其他文化教育的民办学校，由县级以上人民政府教育行政部门"
            "按照国家规定的权限审批。",
        ),
        law(
            "《中华人民共和国民办教育促进法》",
            "",
            "申请正式设立民办学校的，审批机关应当自受理之日起三个月内以书面形式作出是否批准的决定，"
            "并送达申请人。",
        ),
        law(
            "《中华人民共和国民办教育促进法实施条例》",
            "",
            "规定民办学校的举办者、设立条件、组织与活动、资产与财务管理。",
        ),
    ],
    "tags": ["wangshang", "bangban"],
    "topics": ["th_education"],
    "guide": {
        "audience": "entity",
        "acceptance_conditions": (
            "1. 举办者为具有法人资格的社会组织或者具有政治权利和完全民事行为能力的个人，"
            "信用状况良好；\n"
            "2. 有符合规定的学校名称、章程和决策机构，拟任校长具备相应资格；\n"
            "3. 有与办学规模相适应的教师、教学场所（租赁的须具备规定的租期）和设施设备；\n"
            "4. 有必备的办学资金和稳定的经费来源；\n"
            "5. 符合本市民办学校设置标准。义务教育阶段学科类校外培训机构不再审批新设。"
        ),
        "statutory_limit": 90,
        "statutory_unit": "natural_days",
        "statutory_note": "正式设立自受理之日起三个月内作出决定；筹设自受理之日起三十日内作出决定"
        "（《中华人民共和国民办教育促进法》），专家评议时间不计入。",
        "promised_limit": 60,
        "promised_unit": "natural_days",
        "promised_note": "正式设立自受理之日起60日内办结，筹设自受理之日起20日内办结（专家评议时"
        "间不计入）。",
        "result_name": "民办学校办学许可证（正式设立）；同意筹设的批复（筹设）",
        "result_type": "证照",
        "online_depth": 3,
        "onsite_trips": 1,
        "variants": [
            variant("prepare", "筹设", _SCHOOL_FORM),
            variant("establish", "正式设立", _SCHOOL_FORM),
        ],
        "materials": [
            app_form("民办学校设立申办报告", variant="establish", code="establish_report"),
            app_form("民办学校筹设申办报告", variant="prepare", code="prepare_report"),
            mat(
                "sponsor_proof",
                "举办者的资格证明文件",
                kind="certificate",
                acceptance_standard="法人举办的提交营业执照或登记证书、决策机构同意举办的决议；"
                "个人举办的提交身份证件和信用报告。",
            ),
            mat(
                "assets_proof",
                "资产来源、资金数额及有效证明文件",
                acceptance_standard="注明产权，由会计师事务所出具验资报告或资产评估报告。",
            ),
            mat(
                "charter",
                "学校章程和首届理事会（董事会）组成人员名单",
                variant="establish",
                acceptance_standard="章程内容符合《中华人民共和国民办教育促进法实施条例》规定。",
            ),
            mat(
                "principal_teachers",
                "拟任校长和教师、财会人员的资格证明文件",
                variant="establish",
                kind="certificate",
                acceptance_standard="校长具有相应教师资格和管理经历；专任教师持有教师资格证书。",
            ),
            mat(
                "premises",
                "办学场所产权证明或租赁合同及消防、建筑安全合格证明",
                variant="establish",
                acceptance_standard="租赁期限不少于规定年限；场所通过消防验收或备案。",
            ),
            proxy_papers(),
        ],
        "steps": [
            step("accept", 0, "窗口或网上受理申办材料。"),
            step("review", 10, "审查举办者资格、资产、章程和办学条件。"),
            step(
                "expert",
                20,
                "组织专家评议和现场考察，时间不计入审批期限。",
                name="专家评议及现场考察",
            ),
            step("decide", 5, "作出是否批准的决定。"),
            step("certify", 2, "颁发办学许可证或出具筹设批复。"),
            step("deliver", 1, "窗口领取或邮寄送达。"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "取得办学许可证后还要做什么？",
                "应当按照非营利性或营利性分类到民政部门或市场监督管理部门办理法人登记后方可招生。",
            ),
            (
                "可以申请举办面向中小学生的学科类培训机构吗？",
                "不可以。按照国家规定，不再审批新的面向义务教育阶段学生的学科类校外培训机构。",
            ),
        ),
    },
    "impls": [impl("wx_jyj", "320200", "wx_hall", ["01"])],
}

_ENROL_FORM = form(
    "小学一年级新生入学登记表",
    required=[
        "child_name",
        "child_gender",
        "child_birth_date",
        "child_id_number",
        "household_address",
        "residence_address",
        "father_name",
        "mother_name",
        "contact_phone",
        "school_wish",
    ],
    optional=["father_id_number", "mother_id_number"],
    extra={
        "child_id_number": s("儿童公民身份号码", pattern="^[0-9]{17}[0-9X]$"),
        "school_wish": s("施教区学校"),
    },
)

PRIMARY_ENROLMENT: dict[str, Any] = {
    "key": "primary_enrolment",
    "basic_code": "210030003000",
    "name": "义务教育阶段新生入学登记",
    "item_type": "21",
    "owner": "wx_jyj",
    "levels": ["county", "city"],
    "legal_basis": [
        law(
            "《中华人民共和国义务教育法》",
            "第十二条",
            "适龄儿童、少年免试入学。地方各级人民政府应当保障适龄儿童、少年在户籍所在地学校就近入学。"
            "父母或者其他法定监护人在非户籍所在地工作或者居住的适龄儿童、少年，在其父母或者其他法定监护人"
            "工作或者居住地接受义务教育的，当地人民政府应当为其提供平等接受义务教育的条件。",
        )
    ],
    "tags": ["wangshang", "zhangshang", "mianzheng"],
    "topics": ["le_school"],
    "guide": {
        "audience": "person",
        "acceptance_conditions": (
            "1. 当年8月31日前（含）年满6周岁的适龄儿童；\n"
            "2. 本市户籍儿童按户籍和实际居住地在施教区学校登记入学；\n"
            "3. 随迁子女的父母持有本市居住证，在本市合法稳定就业、合法稳定居住，按积分或条件入学。"
        ),
        "promised_limit": 20,
        "promised_note": "网上报名结束后20个工作日内完成审核，录取结果于每年7月中旬前公布。",
        "result_name": "入学录取通知",
        "result_type": "其他",
        "delivery_ways": ["electronic", "mail"],
        "online_depth": 4,
        "onsite_trips": 0,
        "variants": [
            variant("local", "本市户籍儿童", _ENROL_FORM),
            variant("migrant", "随迁子女", _ENROL_FORM),
        ],
        "materials": [
            household_register("儿童及其父母"),
            certificate(
                "property_certificate",
                "实际居住房屋的不动产权证书或租赁备案证明",
                "real_estate_certificate",
                "不动产登记机构核发",
                "通过不动产登记信息共享核验，无需提交。",
            ),
            certificate(
                "residence_permit",
                "父母居住证",
                "residence_permit",
                "公安机关核发",
                "在有效期内；通过信息共享核验。",
                variant="migrant",
            ),
            mat(
                "employment_proof",
                "父母在本市就业或经营证明",
                source="government",
                variant="migrant",
                acceptance_standard="社会保险缴纳记录或营业执照，通过信息共享核验。",
            ),
            certificate(
                "birth_certificate",
                "出生医学证明",
                "birth_certificate",
                "助产医疗机构签发",
                "用于核验儿童出生日期；通过信息共享获取。",
                necessity="optional",
            ),
        ],
        "steps": [
            step("accept", 0, "在“无锡教育入学服务平台”网上报名。"),
            step(
                "review",
                10,
                "教育部门会同公安、自然资源、人社等部门核验户籍、住房、就业信息。",
                name="审核",
            ),
            step("decide", 5, "按施教区和招生政策确定录取学校。", name="录取"),
            step("certify", 0, "生成录取通知。", name="出具通知"),
            step("deliver", 0, "短信和平台发布录取结果。", name="告知"),
        ],
        "fees": [],
        "faqs": faqs(
            (
                "什么时候报名？",
                "每年5月至6月网上报名，具体时间以当年招生政策公告为准。",
            ),
            (
                "户口和房子不在同一个施教区怎么办？",
                "按照当年招生政策确定的优先顺序安排，具体以所在区教育局公布的施教区划分和入学规则为准。",
            ),
        ),
    },
    "impls": [impl("wx_jyj", "320200", "wx_hall", ["01"])],
}

ENTRIES: list[dict[str, Any]] = [TEACHER_QUALIFICATION, PRIVATE_SCHOOL, PRIMARY_ENROLMENT]

# 教师资格认定按春秋两批集中受理：演示数据把它挂起（R4.3 周期性事项不在办理期）。
SUSPENDED: dict[str, tuple[str, str]] = {
    "teacher_qualification": (
        "off_cycle",
        "教师资格认定按年度分春季、秋季两批集中受理，本批次受理已结束；下一批次受理时间以无锡市教育局"
        "公告为准，其间办事指南照常公开。",
    )
}
