"""Change (变更) and renewal (延续) by case (R7.3, R7.1, R5.8): a granting
case that changes or renews a certificate the applicant holds makes, at
制证, a new version linked to the held one — same serial and number, the
held one 注销 (change) or 失效 (renewal) with a reason naming the new
version and the case — instead of an unrelated new certificate. Real
database, the real case and certificate services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from yiwang.core.errors import Conflict
from yiwang.domains.cases import services as case_services
from yiwang.domains.cases.models import Case
from yiwang.domains.cases.tests.conftest import FORM, pdf
from yiwang.domains.catalog.tests.conftest import full_guide, publish_item
from yiwang.domains.certificates import identifiers, renewal, services
from yiwang.domains.certificates.models import Certificate, Status
from yiwang.domains.certificates.tests.conftest import FOOD_SCHEMA, STEPS, fresh

CHANGE_SCHEMA = {
    "type": "object",
    "properties": {
        **FOOD_SCHEMA["properties"],
        "licence_no": {"type": "string", "title": "许可证编号"},
    },
    "required": ["address"],
}


def _guide(type_code: str) -> Any:
    """新办 / 变更 / 延续 of one licence; the change asks for the held licence
    (a material of the certificate type), the renewal does not."""
    return full_guide(
        steps=STEPS,
        variants=[
            {"code": "new", "name": "新办", "form_schema": FOOD_SCHEMA},
            {"code": "change", "name": "许可事项变更", "form_schema": CHANGE_SCHEMA},
            {"code": "renewal", "name": "延续", "form_schema": CHANGE_SCHEMA},
        ],
        materials=[
            {
                "code": "application",
                "name": "申请书",
                "kind": "form",
                "form": "electronic",
                "necessity": "required",
                "copies": 1,
                "source": "applicant",
            },
            {
                "code": "food_licence",
                "name": "食品经营许可证",
                "kind": "certificate",
                "form": "electronic",
                "necessity": "required",
                "copies": 1,
                "source": "government",
                "certificate_type_code": type_code,
                "variant": "change",
            },
        ],
    )


@pytest.fixture
def world(cert_world: Any) -> Any:
    w = cert_world
    w["rc_item"] = publish_item(
        city=w, guide=_guide(w.food_type.code), name="食品经营许可（变更延续）"
    )
    services.item_certificate_type_link(
        actor=fresh(w.types_admin), entry=w["rc_item"].entry, ctype=w.food_type
    )
    return w


def _through_certify(
    w: Any,
    variant: str,
    form: dict[str, Any],
    licence: Certificate | None = None,
    *,
    certify: bool = True,
) -> Case:
    me = w.applicant
    case = case_services.case_draft_save(
        actor=me, item_id=w["rc_item"].pk, variant_code=variant, form_data=form
    )
    case_services.case_material_upload(
        actor=me, case_id=case.pk, code="application", data=pdf(variant), filename="申请书.pdf"
    )
    if licence is not None:
        case_services.case_material_from_certificate(
            actor=me, case_id=case.pk, code="food_licence", identifier=licence.identifier
        )
    case = case_services.case_submit(actor=me, case_id=case.pk)
    case_services.case_accept(actor=fresh(w.clerk), case_id=case.pk)
    case_services.case_step_complete(
        actor=fresh(w.reviewer), step_id=case.steps.get(code="review").pk, opinion="通过"
    )
    case_services.case_decide(
        actor=fresh(w.approver), case_id=case.pk, decision="granted", reason="符合法定条件"
    )
    if certify:
        case_services.case_step_complete(
            actor=fresh(w.clerk), step_id=case.steps.get(code="certify").pk, opinion="已制证"
        )
    return Case.objects.get(pk=case.pk)


def _first(w: Any) -> Certificate:
    case = _through_certify(w, "new", FORM)
    return Certificate.objects.get(case=case)


def test_change_case_makes_a_new_version_and_cancels_the_old(world):
    """R7.3, R7.1, R5.8: a 变更 case that took the held licence from the
    wallet issues version 002 of it at 制证 (same serial and number, linked
    by ``previous``, the same validity period, the face changed by the form,
    a well-formed identifier); the old version becomes 注销 with a reason
    naming the new identifier and the case, and is no longer offered."""
    w = world
    old = _first(w)
    assert old.version == 1 and old.status == Status.VALID
    form = {**FORM, "address": "无锡市梁溪区人民中路8号"}
    case = _through_certify(w, "change", form, licence=old)

    new = Certificate.objects.get(case=case)
    old.refresh_from_db()
    assert new.previous_id == old.pk and new.version == 2
    assert new.identifier.split(".")[-3] == old.identifier.split(".")[-3]
    assert new.identifier.split(".")[-2] == "002"
    assert identifiers.identifier_error(new.identifier) is None
    assert new.number == old.number
    assert (new.valid_from, new.valid_to) == (old.valid_from, old.valid_to)
    assert new.data["address"] == "无锡市梁溪区人民中路8号"
    assert new.metadata["previous"] == old.identifier
    assert new.status == Status.VALID and new.holder_id == w.applicant.user.pk
    assert old.status == Status.CANCELLED
    assert new.identifier in old.status_reason and case.number in old.status_reason
    assert "变更" in old.status_reason
    assert old.status_changes.last().to_status == Status.CANCELLED
    # one certificate chain, not two unrelated licences
    assert Certificate.objects.filter(type=w.food_type, status=Status.VALID).count() == 1


def test_renewal_case_without_naming_renews_the_only_held_licence(world):
    """R7.3: a 延续 case (no certificate material) renews the applicant's
    only valid licence of the type: a new version valid from today whose
    period follows on from the old one; the old becomes 失效."""
    w = world
    old = _first(w)
    case = _through_certify(w, "renewal", FORM)
    new = Certificate.objects.get(case=case)
    old.refresh_from_db()
    assert new.previous_id == old.pk and new.version == 2
    assert old.status == Status.EXPIRED and "延续" in old.status_reason
    assert new.valid_from == timezone.localdate()
    assert new.valid_to is not None and old.valid_to is not None
    assert new.valid_to > old.valid_to
    assert new.valid_to == old.valid_to.replace(year=old.valid_to.year + 5)


def test_first_issue_while_holding_one_makes_an_unrelated_certificate(world):
    """R7.1: a 新办 case (another premises) issues a new certificate with its
    own serial; the held one stays valid."""
    w = world
    old = _first(w)
    again = _through_certify(w, "new", {**FORM, "address": "无锡市滨湖区湖滨路2号"})
    new = Certificate.objects.get(case=again)
    old.refresh_from_db()
    assert new.previous_id is None and new.version == 1
    assert new.identifier.split(".")[-3] != old.identifier.split(".")[-3]
    assert old.status == Status.VALID


def test_renewal_with_two_held_is_refused_unless_named_by_number(world):
    """R7.3: holding two licences of the type, a renewal that names neither
    is refused at 制证 with a clear message (nothing issued, the step stays
    open); naming one by its number in the form renews that one."""
    w = world
    one = _first(w)
    two = Certificate.objects.get(
        case=_through_certify(w, "new", {**FORM, "address": "无锡市滨湖区湖滨路2号"})
    )
    with pytest.raises(Conflict, match="无法确定本次延续的是哪一张"):
        _through_certify(w, "renewal", FORM)
    assert Certificate.objects.filter(type=w.food_type).count() == 2
    case = _through_certify(w, "renewal", {**FORM, "licence_no": two.number})
    new = Certificate.objects.get(case=case)
    one.refresh_from_db()
    two.refresh_from_db()
    assert new.previous_id == two.pk
    assert (one.status, two.status) == (Status.VALID, Status.EXPIRED)


def test_change_of_a_licence_revoked_meanwhile_is_refused_at_certify(world):
    """R7.3, R5.8: when the licence a change case named is revoked before
    制证, no other certificate is changed instead and nothing is issued."""
    w = world
    old = _first(w)
    case = _through_certify(w, "change", FORM, licence=old, certify=False)
    services.certificate_status_change(
        actor=fresh(w.head), certificate_id=old.pk, status=Status.WITHDRAWN, reason="以欺骗手段取得"
    )
    with pytest.raises(Conflict, match="已撤销"):
        case_services.case_step_complete(
            actor=fresh(w.clerk), step_id=case.steps.get(code="certify").pk, opinion="已制证"
        )
    assert not Certificate.objects.filter(case=case).exists()


def test_variant_purpose_and_new_validity_rules():
    """R7.3: the variant's code, else its name, says change or renewal; a
    change keeps the period, a renewal follows on from an unexpired one."""
    assert renewal.variant_purpose("change", "") == renewal.CHANGE
    assert renewal.variant_purpose("x1", "许可事项变更") == renewal.CHANGE
    assert renewal.variant_purpose("renew", "") == renewal.RENEW
    assert renewal.variant_purpose("b2", "重新审查发证") == renewal.RENEW
    assert renewal.variant_purpose("new", "新办") == renewal.FIRST
    today = dt.date(2026, 3, 1)
    old = (dt.date(2021, 6, 1), dt.date(2026, 5, 31))
    assert (
        renewal.new_validity(renewal.CHANGE, today=today, old_from=old[0], old_to=old[1], years=5)
        == old
    )
    assert renewal.new_validity(
        renewal.RENEW, today=today, old_from=old[0], old_to=old[1], years=5
    ) == (today, dt.date(2031, 5, 31))
    assert renewal.new_validity(
        renewal.RENEW, today=today, old_from=old[0], old_to=dt.date(2026, 1, 1), years=5
    ) == (today, dt.date(2031, 2, 28))
    assert renewal.new_validity(
        renewal.RENEW, today=today, old_from=old[0], old_to=None, years=None
    ) == (today, None)
