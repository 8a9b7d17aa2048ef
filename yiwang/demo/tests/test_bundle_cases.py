"""The demo's 开办餐饮店 can be applied for end to end (R6.5): its member
items have forms, materials and steps that a real application gets through."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from yiwang.core.audit import audit_verify
from yiwang.core.checkdigits import make_resident_id
from yiwang.demo.catalog import load_catalog
from yiwang.domains.accounts.services import person_register
from yiwang.domains.cases import services
from yiwang.domains.cases.lifecycle import Status
from yiwang.domains.cases.models import Case, CaseStep, Notification, StepStatus
from yiwang.domains.cases.tests.conftest import load_calendar, pdf
from yiwang.domains.catalog import selectors as catalog_selectors
from yiwang.domains.catalog.models import Bundle
from yiwang.domains.catalog.tests.conftest import make_staff
from yiwang.domains.orgs.models import Staff


def fresh(staff: Staff) -> Staff:
    return Staff.objects.get(pk=staff.pk)


_SAMPLES = {
    "^[0-9]{17}[0-9X]$": "320213199003070017",
    "^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$": "13812345678",
    "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$": "91320213MA1N2B3C4D",
}


def _sample(prop: dict[str, Any]) -> Any:
    """A valid value for one field of a demo form."""
    if prop.get("enum"):
        return prop["enum"][0]
    kind = prop.get("type")
    if kind == "array":
        return [_sample(prop.get("items") or {"type": "string"})]
    if kind in ("integer", "number"):
        return max(1, prop.get("minimum", 1))
    if kind == "boolean":
        return True
    if prop.get("format") == "date":
        return "2026-01-05"
    if prop.get("pattern"):
        value = _SAMPLES.get(prop["pattern"])
        assert value is not None, f"no sample for {prop['pattern']}"
        return value
    return "演示填写内容"[: prop.get("maxLength", 100)].ljust(prop.get("minLength", 0), "文")


def _walk(case: Case, staff: Staff) -> None:
    """Accept, then every step of the part's process, by one member of its
    agency holding all the roles the steps need."""
    services.case_accept(actor=fresh(staff), case_id=case.pk)
    for _ in range(12):
        case.refresh_from_db()
        if case.status == Status.CONCLUDED:
            return
        step = CaseStep.objects.filter(case=case, status=StepStatus.ACTIVE).order_by("order")[0]
        if step.code == "decide":
            services.case_decide(
                actor=fresh(staff), case_id=case.pk, decision="granted", reason="符合法定条件"
            )
        elif step.code == "deliver":
            services.case_deliver(actor=fresh(staff), case_id=case.pk, way="electronic")
        else:
            services.case_step_complete(actor=fresh(staff), step_id=step.pk, opinion="同意")
    raise AssertionError(f"{case.title} did not conclude")


@pytest.mark.django_db
def test_demo_restaurant_bundle_end_to_end():
    """R6.5: the demo's 开办餐饮店 (five items at four agencies) is applied for
    with its merged form and materials, each part is handled at its agency
    through its own steps, and the bundle concludes with one reply."""

    load_catalog()
    load_calendar()
    bundle = Bundle.objects.get(name="开办餐饮店")
    me = person_register(
        actor=None,
        name="王芳",
        id_number=make_resident_id("320213", dt.date(1988, 5, 4), 21),
        phone="13712345678",
        password="Yiwang@2026",
    )
    schema = catalog_selectors.bundle_merged_form(bundle)
    form = {name: _sample(prop) for name, prop in schema["properties"].items()}
    parent = services.bundle_draft_save(actor=me, bundle_code=bundle.code, form_data=form)
    merged = catalog_selectors.bundle_merged_materials(bundle)
    for m in merged:
        if m["form"] != "paper" and m["necessity"] != "optional":
            services.bundle_material_upload(
                actor=me, case_id=parent.pk, key=m["key"], data=pdf(m["name"]), filename="材料.pdf"
            )
    parent = services.bundle_submit(actor=me, case_id=parent.pk, idempotency_key="demo")
    parts = list(Case.objects.filter(parent=parent).select_related("agency", "version"))
    assert len(parts) == bundle.members.count() == 5
    assert len({p.agency_id for p in parts}) >= 3
    shared = [m for m in merged if len({i["item_id"] for i in m["items"]}) > 1]
    assert shared, "the demo bundle shares at least one material"
    for n, part in enumerate(parts):
        roles = sorted({s.role_code for s in part.version.steps.all()} | {"clerk"})
        staff = make_staff(part.agency, f"demo_bundle_{n}", roles, f"演示{n}")
        _walk(part, staff)
    parent.refresh_from_db()
    assert parent.status == Status.CONCLUDED
    finals = Notification.objects.filter(user=me.user, title__contains="办结")
    assert [n.case_id for n in finals] == [parent.pk]
    report = audit_verify()
    assert report.ok, report.first_problem
