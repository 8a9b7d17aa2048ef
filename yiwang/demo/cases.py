"""Demo cases in the states a clerk meets on a Monday morning: waiting for
acceptance, waiting for a correction, under review, in a site inspection,
decided and delivered, refused — each made through the real services by
the demo staff of 无锡市市场监督管理局, so queues, timelines and notices are
real. Idempotent: the cases carry the idempotency keys "demo-<n>"."""

from __future__ import annotations

from typing import Any

from yiwang.core.errors import ValidationFailed
from yiwang.domains.accounts.models import Entity, Person
from yiwang.domains.cases import services
from yiwang.domains.cases.models import Case
from yiwang.domains.catalog.models import Lifecycle, MaterialSpec, ServiceItem
from yiwang.domains.orgs.models import Staff


def sample_pdf(title: str) -> bytes:
    """A small well-formed PDF standing for a scanned material."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"% " + title.encode("utf-8") + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def sample_form(schema: dict[str, Any], who: dict[str, str]) -> dict[str, Any]:
    """Values that satisfy a variant's form schema, readable on screen;
    ``who`` gives the applicant's name, ID number, credit code and a person
    (legal representative) for the identity fields."""
    data: dict[str, Any] = {}
    for name, prop in (schema.get("properties") or {}).items():
        value = _sample_value(prop, who)
        if value is not None:
            data[name] = value
    return data


def _sample_value(prop: dict[str, Any], who: dict[str, str]) -> Any:
    kind = prop.get("type")
    title = str(prop.get("title") or "")
    if "enum" in prop:
        return prop["enum"][0]
    if kind == "array":
        items = prop.get("items") or {}
        first = _sample_value(items, who)
        return [first] if first is not None else []
    if kind == "boolean":
        return True
    if kind in ("number", "integer"):
        return max(1, int(prop.get("minimum") or 1)) * 50
    if kind != "string":
        return None
    if prop.get("format") == "date":
        return "2026-11-02"
    if "信用代码" in title:
        return who.get("credit_code") or None
    if "身份号码" in title or "身份证" in title:
        return who["id_number"]
    if "电话" in title or "手机" in title:
        return "13961800000"
    if "法定代表人" in title or "负责人" in title or "姓名" in title:
        return who["person"]
    if "名称" in title or "申请人" in title:
        return who["name"]
    if "地址" in title or "场所" in title or "住所" in title:
        return "无锡市梁溪区中山路100号"
    if prop.get("pattern"):
        return None
    text = f"{title or '内容'}（演示）"
    limit = prop.get("maxLength")
    return text[: int(limit)] if limit else text


# What happens to each demo case after submission.
PLAN = [
    "submitted",
    "submitted",
    "correcting",
    "handling",
    "handling",
    "inspection",
    "concluded",
    "concluded",
    "refused",
]


def _files(item: ServiceItem, variant_code: str) -> list[tuple[str, str, bytes]]:
    assert item.current is not None
    variant_ids = {v.pk for v in item.current.variants.all() if v.code == variant_code}
    return [
        (m.code, f"{m.name}.pdf", sample_pdf(m.name))
        for m in item.current.materials.all()
        if m.necessity == MaterialSpec.Necessity.REQUIRED
        and m.form != MaterialSpec.Form.PAPER
        and (m.variant_id is None or m.variant_id in variant_ids)
    ]


def _apply(
    item: ServiceItem, n: int, people: list[Person], entities: list[Entity]
) -> tuple[Case, Any, Any] | None:
    """Apply for ``item`` as a demo applicant of its audience; None when the
    sampler cannot fill its form."""
    version = item.current
    assert version is not None
    person = people[n % len(people)]
    applicant: Any = person
    who = {"name": person.name, "person": person.name, "id_number": person.id_number}
    if version.audience == "entity" and entities:
        entity = entities[n % len(entities)]
        applicant = entity
        who = {
            "name": entity.name,
            "person": entity.legal_representative,
            "id_number": entity.legal_representative_id or person.id_number,
            "credit_code": entity.credit_code,
        }
    variants = list(version.variants.all())
    variant = variants[0] if variants else None
    form = sample_form(variant.form_schema if variant else {}, who)
    try:
        case = services.case_apply(
            actor=applicant,
            item_id=item.pk,
            variant_code=variant.code if variant else "",
            form_data=form,
            files=_files(item, variant.code if variant else ""),
            idempotency_key=f"demo-{n}",
        )
    except ValidationFailed:
        return None
    return case, applicant, version


def load_cases() -> int:
    """Make the demo cases if they are not there; return how many were made."""
    if Case.objects.filter(idempotency_key__startswith="demo-").exists():
        return 0
    staff = {s.user.username: s for s in Staff.objects.select_related("user", "agency")}
    clerk = staff.get("wx_scj_clerk")
    reviewer = staff.get("wx_scj_reviewer")
    approver = staff.get("wx_scj_approver")
    if clerk is None or reviewer is None or approver is None:
        return 0
    items = list(
        ServiceItem.objects.filter(
            agency=clerk.agency, lifecycle=Lifecycle.ACTIVE, current__isnull=False
        )
        .select_related("current")
        .order_by("implementation_code")
    )
    people = list(Person.objects.select_related("user").order_by("pk")[: len(PLAN)])
    entities = list(Entity.objects.select_related("user").order_by("pk")[: len(PLAN)])
    if not items or not people:
        return 0
    made = 0
    for n, fate in enumerate(PLAN):
        made_case = None
        for attempt in range(len(items)):
            item = items[(n + attempt) % len(items)]
            made_case = _apply(item, n, people, entities)
            if made_case is not None:
                break
        if made_case is None:
            continue
        case, applicant, version = made_case
        made += 1
        if fate == "submitted":
            continue
        materials = list(version.materials.all())
        if fate == "correcting":
            services.case_request_correction(
                actor=clerk,
                case_id=case.pk,
                lines=[{"code": materials[0].code, "problem": "复印件不清晰，请重新上传原件扫描件"}]
                if materials
                else [],
                note="" if materials else "请补充经营场所证明",
            )
            continue
        if fate == "refused":
            services.case_refuse(
                actor=clerk,
                case_id=case.pk,
                reason="申请事项不属于本机关职权范围，请向属地区级部门申请",
            )
            continue
        services.case_accept(actor=clerk, case_id=case.pk)
        if fate == "handling":
            continue
        step = case.steps.filter(status="active").order_by("order").first()
        if step is None:
            continue
        services.case_step_claim(actor=reviewer, step_id=step.pk)
        if fate == "inspection":
            services.special_procedure_start(
                actor=reviewer, case_id=case.pk, kind="site_inspection", reason="核查经营场所"
            )
            continue
        while True:
            step = case.steps.filter(status="active").order_by("order").first()
            if step is None or step.code in ("decide", "deliver"):
                break
            holder = reviewer if step.role_code == "reviewer" else clerk
            services.case_step_complete(actor=holder, step_id=step.pk, opinion="审查通过")
        for owed in case.materials.filter(status="deferred"):
            services.material_supply(
                actor=applicant,
                case_id=case.pk,
                code=owed.code,
                data=sample_pdf(owed.name),
                filename=f"{owed.name}.pdf",
            )
        services.case_decide(
            actor=approver, case_id=case.pk, decision="granted", reason="申请材料齐全，符合法定条件"
        )
        for step in case.steps.filter(status="active").exclude(code="deliver"):
            services.case_step_complete(actor=clerk, step_id=step.pk, opinion="已制发证照")
        services.case_deliver(actor=clerk, case_id=case.pk, way="electronic")
    return made
