"""Agencies' document-signing keys: issued under the platform root, one active
per agency, rotation keeps the old certificates, every change audited
(ARCHITECTURE.md "Trust"; R2.1 agencies, R14.3, R14.5)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.core import signing
from yiwang.core.actors import SYSTEM
from yiwang.core.audit import audit_verify
from yiwang.core.models import AuditEntry
from yiwang.core.tests.filesamples import pdf_bytes
from yiwang.domains.orgs.errors import Conflict, PermissionDenied
from yiwang.domains.orgs.models import AgencyKey
from yiwang.domains.orgs.selectors import agency_key_by_serial, agency_keys
from yiwang.domains.orgs.services import (
    agency_deactivate,
    agency_key_issue,
    agency_signer,
)
from yiwang.domains.orgs.tests.conftest import make_agency


def test_the_first_signature_issues_a_key_lazily_as_the_platform(world):
    """agency_signer issues a key (actor SYSTEM, audited) when there is none,
    and reuses it afterwards."""
    assert not AgencyKey.objects.filter(agency=world.scj).exists()
    key, cert = agency_signer(world.scj)
    row = AgencyKey.objects.get(agency=world.scj)
    assert row.active and row.serial == f"{cert.serial_number:x}"
    assert signing.credit_code_of(cert) == world.scj.credit_code
    assert signing.common_name_of(cert) == "无锡市市场监督管理局"
    assert "PRIVATE KEY" not in row.private_key  # sealed with SM4
    entry = AuditEntry.objects.filter(action="orgs.agency_key_issue").get()
    assert entry.actor_kind == "system" and entry.object_id == str(row.pk)
    assert "PRIVATE" not in entry.change and row.serial in entry.change
    key2, cert2 = agency_signer(world.scj)
    assert cert2 == cert and AgencyKey.objects.filter(agency=world.scj).count() == 1
    assert key2.private_numbers() == key.private_numbers()


def test_a_pdf_signed_with_the_agency_key_verifies_with_its_name(world):
    """R14.3: documents signed by an agency verify offline and name it."""
    key, cert = agency_signer(world.lx_scj)
    result = signing.verify_pdf(
        signing.sign_pdf(pdf_bytes(), key, cert, "准予许可决定书", "梁溪区")
    )
    assert result.valid, result.problem
    assert (result.signer, result.credit_code) == (world.lx_scj.name, world.lx_scj.credit_code)


def test_rotation_retires_the_old_key_and_old_documents_still_verify(world):
    """One active key per agency; the retired certificate is kept and what it
    signed remains valid."""
    old_key, old_cert = agency_signer(world.scj)
    signed_before = signing.sign_pdf(pdf_bytes(), old_key, old_cert, "受理通知书")
    new_row = agency_key_issue(actor=world.centre_admin, agency=world.scj, reason="年度轮换")
    rows = list(agency_keys(world.scj))
    assert [r.pk for r in rows if r.active] == [new_row.pk]
    old_row = next(r for r in rows if not r.active)
    assert old_row.serial == f"{old_cert.serial_number:x}" and old_row.retired_at is not None
    assert agency_key_by_serial(old_row.serial).agency == world.scj
    _, cert = agency_signer(world.scj)
    assert f"{cert.serial_number:x}" == new_row.serial
    assert signing.verify_pdf(signed_before).valid
    actions = list(
        AuditEntry.objects.filter(action__startswith="orgs.agency_key").values_list(
            "action", "actor_label"
        )
    )
    assert ("orgs.agency_key_retire", "周文斌") in actions
    assert ("orgs.agency_key_issue", "周文斌") in actions
    assert audit_verify().ok


def test_the_database_holds_at_most_one_active_key_per_agency(world):
    agency_signer(world.scj)
    row = AgencyKey.objects.get(agency=world.scj)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyKey.objects.create(
            agency=world.scj,
            algorithm=row.algorithm,
            serial="ab" + row.serial[:30],
            fingerprint="0" * 64,
            subject=row.subject,
            cert_pem=row.cert_pem,
            private_key=row.private_key,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
        )


def test_only_a_centre_administrator_over_the_division_may_issue(world):
    """R2.2: issuing keys is orgs.manage within the actor's division subtree."""
    with pytest.raises(PermissionDenied):
        agency_key_issue(actor=world.head, agency=world.scj)
    with pytest.raises(PermissionDenied):
        agency_key_issue(actor=world.lx_admin, agency=world.scj)  # 梁溪 does not cover the city
    assert agency_key_issue(actor=world.lx_admin, agency=world.lx_scj).active
    assert not AgencyKey.objects.filter(agency=world.scj).exists()


def test_a_stopped_agency_gets_no_new_key(world):
    archive = make_agency(world.jy, "江阴市档案馆")
    agency_deactivate(actor=SYSTEM, agency=archive)
    with pytest.raises(Conflict):
        agency_key_issue(actor=SYSTEM, agency=archive)


def test_a_key_close_to_expiry_is_renewed_before_signing(world):
    agency_signer(world.scj)
    AgencyKey.objects.filter(agency=world.scj).update(
        valid_to=timezone.now() + dt.timedelta(days=3)
    )
    _, cert = agency_signer(world.scj)
    active = AgencyKey.objects.get(agency=world.scj, active=True)
    assert active.serial == f"{cert.serial_number:x}"
    assert AgencyKey.objects.filter(agency=world.scj).count() == 2


def test_the_signing_command_rotates_shows_and_verifies(world, tmp_path):
    out = io.StringIO()
    call_command("signing", "init", stdout=out)
    assert "指纹" in out.getvalue()
    call_command("signing", "rotate", world.scj.credit_code, stdout=out)
    assert "已为「无锡市市场监督管理局」签发新证书" in out.getvalue()
    call_command("signing", "show", stdout=out)
    assert "在用的机构签名证书：1 个" in out.getvalue()
    key, cert = agency_signer(world.scj)
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(signing.sign_pdf(pdf_bytes(), key, cert))
    call_command("signing", "verify", str(signed), stdout=out)
    assert "有效：无锡市市场监督管理局" in out.getvalue()
