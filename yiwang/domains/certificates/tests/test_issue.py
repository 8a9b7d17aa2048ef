"""Issuing certificates: on a granting case's 制证 step, by hand, renewals,
status changes, seals (R7.1, R7.2, R7.3, R7.6, R5.5)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from yiwang.core.crypto import sm3_hex
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.domains.certificates import documents, identifiers, seals, selectors, services
from yiwang.domains.certificates.models import (
    Certificate,
    CertificateStatusChange,
    Seal,
    SealUse,
    Status,
)
from yiwang.domains.certificates.tests.conftest import decided_case, fresh, granted_case

ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts"


def test_granting_case_issues_a_sealed_certificate_at_certify(cert_world):
    """R7.1, R7.3, R5.5: completing 制证 of a granted case issues the
    applicant's certificate: GB/T 36904 identifier whose check character
    passes, GB/T 36903 metadata, a PDF signed by the agency (PAdES) with the
    metadata embedded, and the seal's SM2 signature over metadata + file SM3,
    logged as a seal use."""
    from yiwang.core.signing import verify_pdf

    w = cert_world
    case = decided_case(w)
    assert not Certificate.objects.filter(case=case).exists()
    started = time.perf_counter()
    from yiwang.domains.cases import services as case_services

    case_services.case_step_complete(
        actor=fresh(w.clerk), step_id=case.steps.get(code="certify").pk, opinion="已制证"
    )
    elapsed = time.perf_counter() - started
    cert = Certificate.objects.get(case=case)
    print(f"\ncertify step incl. render+sign+SM2: {elapsed * 1000:.0f} ms")
    assert identifiers.identifier_error(cert.identifier) is None
    parsed = identifiers.parse(cert.identifier)
    assert parsed.type_code == w.food_type.code == w.city_scj.credit_code + "001"
    assert parsed.issuer_code == w.lx_scj.credit_code
    assert parsed.version == "001"
    assert cert.status == Status.VALID and cert.holder == w.applicant.user
    assert cert.holder_name == "张伟" and cert.holder_code_type == "111"
    assert cert.data == {"applicant_name": "张伟", "address": "无锡市梁溪区中山路1号", "area": 60}
    assert cert.valid_to is not None and cert.valid_to.year == cert.valid_from.year + 5
    assert cert.number.startswith("JY320213")
    m = cert.metadata
    for key in documents.METADATA_LABELS:
        assert key in m, key
    assert m["identifier"] == cert.identifier and m["issuer_code"] == w.lx_scj.credit_code
    assert m["signature_algorithm"] == "SM2" and m["seal_code"] == cert.seal.code
    pdf = documents.file_bytes(cert.file_path)
    assert sm3_hex(pdf) == cert.file_sm3
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "certificate.pdf").write_bytes(pdf)
    result = verify_pdf(pdf)
    assert result.valid, result.problem
    assert result.credit_code == w.lx_scj.credit_code
    assert documents.extract_metadata(pdf) == m
    assert seals.sm2_verify(
        cert.seal.public_key, documents.signed_message(m, cert.file_sm3), cert.signature
    )
    use = SealUse.objects.get(certificate=cert)
    assert use.signature == cert.signature and use.actor_label.startswith("王晓燕")
    assert use.digest == sm3_hex(documents.signed_message(m, cert.file_sm3))
    assert [c.to_status for c in selectors.certificate_history(cert)] == [Status.VALID]
    assert selectors.certificate_verify(cert.identifier).valid
    # the same case issues once
    assert services.certificate_issue_for_case(actor=fresh(w.clerk), case_id=case.pk) == cert


def test_case_whose_result_is_no_linked_certificate_issues_nothing(cert_world):
    """R7.1: only a 证照 result with a linked type issues a certificate."""
    w = cert_world
    w.food_type = services.certificate_type_update(
        actor=fresh(w.types_admin), type_id=w.food_type.pk, active=False
    )
    case = granted_case(w)
    assert case.steps.get(code="certify").status == "done"
    assert not Certificate.objects.filter(case=case).exists()


def test_denied_case_issues_nothing(cert_world):
    """R7.1: a denial skips 制证; asking anyway issues nothing."""
    w = cert_world
    case = _denied(w)
    assert case.steps.get(code="certify").status == "skipped"
    assert services.certificate_issue_for_case(actor=fresh(w.clerk), case_id=case.pk) is None
    assert not Certificate.objects.filter(case=case).exists()


def _denied(w):
    from yiwang.domains.cases import services as case_services
    from yiwang.domains.cases.tests.conftest import FORM, pdf, png

    me = w.applicant
    case = case_services.case_draft_save(
        actor=me, item_id=w.cert_item.pk, variant_code="first", form_data=FORM
    )
    case_services.case_material_upload(
        actor=me, case_id=case.pk, code="application", data=pdf(), filename="申请书.pdf"
    )
    case_services.case_material_upload(
        actor=me, case_id=case.pk, code="licence", data=png(), filename="营业执照.png"
    )
    case_services.case_submit(actor=me, case_id=case.pk)
    case_services.case_accept(actor=fresh(w.clerk), case_id=case.pk)
    case_services.case_step_complete(
        actor=fresh(w.reviewer), step_id=case.steps.get(code="review").pk, opinion="通过"
    )
    case_services.case_decide(
        actor=fresh(w.approver), case_id=case.pk, decision="denied", reason="场所面积不足"
    )
    return case


def test_serials_come_from_a_sequence_per_type_issuer_and_year(cert_world):
    """R7.1: two certificates of one type and issuer get consecutive serials."""
    w = cert_world
    a = Certificate.objects.get(case=granted_case(w))
    b = Certificate.objects.get(case=granted_case(w, w.applicant2))
    sa, sb = identifiers.parse(a.identifier).serial, identifiers.parse(b.identifier).serial
    year = a.issued_on.year
    assert (sa, sb) == (identifiers.serial_for(year, 1), identifiers.serial_for(year, 2))


def test_types_are_defined_by_the_agency_with_the_permission(cert_world):
    """R7.2: the type code is the definer's credit code + 3 digits; only
    certificates.types at that agency defines or changes it; the public
    catalogue lists all active types, and the shared ones."""
    w = cert_world
    with pytest.raises(PermissionDenied):
        services.certificate_type_create(
            actor=fresh(w.clerk),
            defining_agency=w.lx_scj,
            code_suffix="001",
            name="小餐饮登记证",
            holder_kind="person",
        )
    with pytest.raises(PermissionDenied):  # unit_admin of another agency
        services.certificate_type_create(
            actor=fresh(w.lx_admin),
            defining_agency=w.city_scj,
            code_suffix="002",
            name="小餐饮登记证",
            holder_kind="person",
        )
    with pytest.raises(ValidationFailed):
        services.certificate_type_create(
            actor=fresh(w.types_admin),
            defining_agency=w.city_scj,
            code_suffix="02",
            name="小餐饮登记证",
            holder_kind="person",
        )
    with pytest.raises(Conflict):
        services.certificate_type_create(
            actor=fresh(w.types_admin),
            defining_agency=w.city_scj,
            code_suffix="001",
            name="重复",
            holder_kind="person",
        )
    small = services.certificate_type_create(
        actor=fresh(w.lx_admin),
        defining_agency=w.lx_scj,
        code_suffix="002",
        name="小餐饮登记证",
        holder_kind="person",
        validity_years=3,
    )
    assert small.code == w.lx_scj.credit_code + "002"
    with pytest.raises(PermissionDenied):
        services.certificate_type_update(actor=fresh(w.types_admin), type_id=small.pk, name="改名")
    codes = [t.code for t in selectors.certificate_types_public()]
    assert small.code in codes and w.food_type.code in codes
    assert [t.code for t in selectors.certificate_types_public(shared_only=True)] == [
        w.food_type.code
    ]


def test_issue_by_hand_checks_holder_and_fields(cert_world):
    """R7.3: issuing by hand needs certificates.issue at the issuer, a
    holder of the type's kind with a valid code, and the type's fields."""
    w = cert_world
    with pytest.raises(PermissionDenied):
        services.certificate_issue(
            actor=fresh(w.reviewer),
            issuer=w.lx_scj,
            type_id=w.food_type.pk,
            holder=w.applicant,
            data={"applicant_name": "张伟", "address": "中山路1号"},
        )
    with pytest.raises(ValidationFailed) as bad:
        services.certificate_issue(
            actor=fresh(w.clerk),
            issuer=w.lx_scj,
            type_id=w.food_type.pk,
            holder=w.applicant,
            data={"applicant_name": "张伟"},
        )
    assert "address" in bad.value.fields
    with pytest.raises(ValidationFailed):
        services.certificate_issue(
            actor=fresh(w.clerk),
            issuer=w.lx_scj,
            type_id=w.food_type.pk,
            holder_name="王五",
            holder_code="320213199001011234",
            holder_code_type="111",
            data={"applicant_name": "王五", "address": "中山路1号"},
        )
    cert = services.certificate_issue(
        actor=fresh(w.clerk),
        issuer=w.lx_scj,
        type_id=w.food_type.pk,
        holder_name="张伟",
        holder_code=w.applicant.id_number,
        holder_code_type="111",
        data={"applicant_name": "张伟", "address": "中山路1号"},
    )
    assert cert.holder == w.applicant.user  # found by the ID number's blind index
    assert cert.source == "manual"
    assert list(selectors.valid_certificates_of(w.applicant, w.food_type.code)) == [cert]


def test_status_changes_have_reasons_history_and_permissions(cert_world):
    """R7.3: 暂扣 → 恢复有效 → 吊销 by the unit head, each with a reason, in
    the audited history; a revoked certificate cannot come back; the
    wallet's valid list drops it."""
    w = cert_world
    cert = Certificate.objects.get(case=granted_case(w))
    with pytest.raises(PermissionDenied):
        services.certificate_status_change(
            actor=fresh(w.clerk), certificate_id=cert.pk, status="revoked", reason="违法经营"
        )
    with pytest.raises(ValidationFailed):
        services.certificate_status_change(
            actor=fresh(w.head), certificate_id=cert.pk, status="suspended", reason=" "
        )
    head = fresh(w.head)
    services.certificate_status_change(
        actor=head, certificate_id=cert.pk, status="suspended", reason="责令停业整顿"
    )
    assert not selectors.valid_certificates_of(w.applicant).exists()
    services.certificate_status_change(
        actor=head, certificate_id=cert.pk, status="valid", reason="整改完成"
    )
    assert selectors.valid_certificates_of(w.applicant).exists()
    services.certificate_status_change(
        actor=head, certificate_id=cert.pk, status="revoked", reason="违法经营"
    )
    with pytest.raises(Conflict):
        services.certificate_status_change(
            actor=head, certificate_id=cert.pk, status="valid", reason="申诉"
        )
    history = list(
        CertificateStatusChange.objects.filter(certificate=cert).values_list("to_status", "reason")
    )
    assert history == [
        ("valid", "办件制证"),
        ("suspended", "责令停业整顿"),
        ("valid", "整改完成"),
        ("revoked", "违法经营"),
    ]
    v = selectors.certificate_verify(cert.identifier)
    assert v.authentic and not v.valid and v.status_name == "吊销"
    assert v.status_reason == "违法经营" and v.status_at is not None


def test_renewal_makes_a_linked_new_version_and_retires_the_old(cert_world):
    """R7.3: a change makes version 002 with the same serial, linked to 001
    by previous; 001 becomes 失效."""
    w = cert_world
    old = Certificate.objects.get(case=granted_case(w))
    new = services.certificate_renew(
        actor=fresh(w.clerk),
        certificate_id=old.pk,
        reason="经营场所变更",
        data={"address": "无锡市梁溪区人民路2号"},
    )
    old.refresh_from_db()
    assert old.status == Status.EXPIRED and new.previous == old
    a, b = identifiers.parse(old.identifier), identifiers.parse(new.identifier)
    assert (a.serial, a.version, b.version) == (b.serial, "001", "002")
    assert new.data["address"] == "无锡市梁溪区人民路2号" and new.number == old.number
    assert new.metadata["previous"] == old.identifier
    assert list(selectors.valid_certificates_of(w.applicant)) == [new]
    with pytest.raises(Conflict):
        services.certificate_renew(actor=fresh(w.clerk), certificate_id=old.pk, reason="再换")


def test_seals_sign_only_while_usable_and_log_every_use(cert_world):
    """R7.6: an agency's SM2 seal (algorithm recorded, private key sealed at
    rest), revoked with a reason; a revoked seal no longer signs, the next
    certificate gets a new seal; every signature is in the seal's log."""
    w = cert_world
    first = Certificate.objects.get(case=granted_case(w))
    seal = first.seal
    assert seal.algorithm == "SM2" and len(seal.public_key) == 128
    assert ":" in seal.private_key_sealed and seal.public_key not in seal.private_key_sealed
    signer = seals.signer_from(seal.private_key_sealed, seal.public_key)
    assert isinstance(signer, seals.SealSigner)
    assert "<svg" in seal.image_svg and "梁" in seal.image_svg
    with pytest.raises(PermissionDenied):
        services.seal_revoke(actor=fresh(w.clerk), seal_id=seal.pk, reason="密钥泄露")
    services.seal_revoke(actor=fresh(w.lx_admin), seal_id=seal.pk, reason="密钥泄露")
    seal.refresh_from_db()
    with pytest.raises(Conflict):
        services.seal_sign(actor=fresh(w.clerk), seal=seal, data=b"x", purpose="测试")
    second = Certificate.objects.get(case=granted_case(w, w.applicant2))
    assert second.seal != seal and Seal.objects.filter(agency=w.lx_scj).count() == 2
    assert SealUse.objects.filter(seal=seal).count() == 1
    assert list(selectors.seal_uses(fresh(w.lx_admin), second.seal)) == [
        SealUse.objects.get(certificate=second)
    ]
    # the earlier certificate still verifies: its seal's key is kept
    assert selectors.certificate_verify(first.identifier).authentic


def test_suspending_flags_open_cases_that_rely_on_the_certificate(cert_world):
    """R7.3, R5.8: the status change itself flags every open case that was
    granted use of the certificate (wallet.certificate_revocation_flag_cases)."""
    from django.utils import timezone

    from yiwang.domains.cases.models import CaseEvent
    from yiwang.domains.certificates import wallet

    w = cert_world
    cert = Certificate.objects.get(case=granted_case(w))
    relying = decided_case(w, w.applicant)  # open: its 制证 is still to do
    wallet.certificate_use_record(
        actor=w.applicant,
        certificate=cert,
        case=relying,
        purpose="办理食品经营许可",
        consented_at=timezone.now(),
    )
    services.certificate_status_change(
        actor=fresh(w.head), certificate_id=cert.pk, status="suspended", reason="责令停业整顿"
    )
    flags = CaseEvent.objects.filter(kind="flag", case=relying)
    assert flags.count() == 1 and "暂扣" in flags.get().title
    assert "责令停业整顿" in flags.get().detail


def test_certificates_past_their_validity_are_marked_expired(cert_world):
    """R7.3: the daily job marks 失效 what ended before today, with the reason."""
    import datetime as dt

    from django.core.management import call_command

    w = cert_world
    old = services.certificate_issue(
        actor=fresh(w.clerk),
        issuer=w.lx_scj,
        type_id=w.food_type.pk,
        holder=w.applicant,
        data={"applicant_name": "张伟", "address": "中山路1号"},
        issued_on=dt.date(2019, 1, 1),
        valid_to=dt.date(2023, 12, 31),
    )
    current = Certificate.objects.get(case=granted_case(w))
    assert not selectors.certificate_verify(old.identifier).valid  # already not valid
    call_command("certificates_expire")
    old.refresh_from_db()
    current.refresh_from_db()
    assert old.status == Status.EXPIRED and "2023-12-31" in old.status_reason
    assert current.status == Status.VALID
    assert services.certificates_expire_due() == 0
