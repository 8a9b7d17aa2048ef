"""The guide document (办事指南) as plain data, and its completeness check.

Pure module (no Django): the same dictionary shape is what the services
write into a draft version, what the Excel import and the API accept, what
the demo data is written in, and what ``missing_elements`` checks before a
version may be submitted or published (R3.4, R3.8). Supervision reuses the
check to score how complete published guides are (R10.1).
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class VariantDoc(TypedDict):
    code: str  # unique within the version, e.g. "first", "change", "renew"
    name: str  # 首次申请 / 变更 / 延续 / 注销
    form_schema: NotRequired[dict[str, Any]]  # JSON Schema of the application form


class MaterialDoc(TypedDict):
    code: str
    name: str
    kind: str  # certificate / form / other
    form: str  # paper / electronic / both
    necessity: str  # required / optional / deferrable (容缺后补)
    copies: NotRequired[int]
    page_format: NotRequired[str]
    source: str  # applicant / government / other
    source_note: NotRequired[str]
    acceptance_standard: NotRequired[str]
    legal_basis: NotRequired[str]
    filling_notes: NotRequired[str]
    certificate_type_code: NotRequired[str]
    pledge_text: NotRequired[str]  # 告知承诺 text; set = a pledge may replace the document
    variant: NotRequired[str]  # a VariantDoc code; absent = every variant


class StepDoc(TypedDict):
    code: str  # accept / review / decide / certify / deliver / inspect …
    name: str  # 受理 / 审查 / 决定 / 制证 / 送达 / 现场踏勘 …
    role_code: str  # an orgs role code: clerk / reviewer / approver …
    time_limit: int
    time_unit: NotRequired[str]  # working_days (default) / natural_days
    is_special: NotRequired[bool]
    description: NotRequired[str]


class FeeDoc(TypedDict):
    name: str
    standard: str
    legal_basis: str
    reducible: NotRequired[bool]
    reduction_note: NotRequired[str]


class FaqDoc(TypedDict):
    question: str
    answer: str


class GuideDoc(TypedDict, total=False):
    """Every element of a version; scalar keys are ItemVersion field names."""

    audience: str
    handling_kind: str
    power_source: str
    exercise_level: str
    entrusted_body: str
    co_agencies: str
    general_area: str
    quantity_limit: str
    acceptance_conditions: str
    process_description: str
    statutory_limit: int | None
    statutory_unit: str
    statutory_note: str
    promised_limit: int | None
    promised_unit: str
    promised_note: str
    charges_fee: bool
    result_name: str
    result_type: str
    delivery_ways: list[str]
    address: str
    hours: str
    consult_phone: str
    complaint_phone: str
    rights_obligations: str
    legal_remedy: str
    online: bool
    online_depth: int
    onsite_trips: int
    mobile_url: str
    appointment: bool
    online_payment: bool
    express_delivery: bool
    enters_centre: bool
    service_content: str
    management_requirements: str
    window_ids: list[int]
    variants: list[VariantDoc]
    materials: list[MaterialDoc]
    steps: list[StepDoc]
    fees: list[FeeDoc]
    faqs: list[FaqDoc]


SCALAR_FIELDS: tuple[str, ...] = tuple(
    k
    for k in GuideDoc.__annotations__
    if k not in {"variants", "materials", "steps", "fees", "faqs", "window_ids"}
)

# (element, Chinese name, required for a full guide, required for a convenience guide)
# R3.4 (WX7): 基本信息、部门信息、办理窗口、受理标准、办理材料、办理流程、办理时限、
# 收费情况、审批结果、法律依据、常见问题、咨询投诉、权利义务、法律救济.
ELEMENTS: tuple[tuple[str, str, bool, bool], ...] = (
    ("audience", "服务对象", True, True),
    ("handling_kind", "办件类型", True, False),
    ("acceptance_conditions", "受理条件（受理标准）", True, False),
    ("variants", "办理项", True, True),
    ("materials", "申请材料", True, False),
    ("steps", "办理流程（办理环节）", True, True),
    ("statutory_limit", "法定办结时限", True, False),
    ("promised_limit", "承诺办结时限", True, True),
    ("fees", "收费情况（收费时须列明收费项目）", True, False),
    ("result_name", "审批结果名称", True, False),
    ("result_type", "审批结果类型", True, False),
    ("delivery_ways", "送达方式", True, False),
    ("address", "办理地点", True, True),
    ("hours", "办理时间", True, True),
    ("consult_phone", "咨询方式", True, True),
    ("complaint_phone", "监督投诉方式", True, True),
    ("rights_obligations", "申请人权利和义务", True, False),
    ("legal_remedy", "法律救济途径", True, False),
    ("faqs", "常见问题", True, False),
    ("service_content", "服务内容", False, True),
    ("management_requirements", "管理要求", False, True),
)


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def missing_elements(
    doc: GuideDoc,
    *,
    convenience: bool = False,
    is_power: bool = True,
    legal_basis: list[Any] | None = None,
) -> list[str]:
    """The Chinese names of the required elements the guide lacks, in guide order.

    ``legal_basis`` is the catalogue entry's: an administrative-power item's
    guide must show it (R3.4, LZW14), and a statutory time limit. Fees are
    required only when the item charges a fee. A convenience-service item
    (R3.8) has the lighter guide.
    """
    missing: list[str] = []
    for key, label, full, light in ELEMENTS:
        needed = light if convenience else full
        if not needed:
            continue
        if key == "fees" and not doc.get("charges_fee"):
            continue
        if key == "statutory_limit" and not is_power:
            continue
        if key == "faqs" and convenience:
            continue
        if _blank(doc.get(key)):
            missing.append(label)
    if is_power and not convenience and not legal_basis:
        missing.append("法律依据（设定依据）")
    steps = doc.get("steps") or []
    if steps and any(_blank(s.get("role_code")) for s in steps):
        missing.append("办理环节的办理角色")
    materials = doc.get("materials") or []
    codes = {v["code"] for v in doc.get("variants") or []}
    for m in materials:
        if m.get("variant") and m["variant"] not in codes:
            missing.append(f"申请材料“{m.get('name', '')}”所属办理项")
    return missing
