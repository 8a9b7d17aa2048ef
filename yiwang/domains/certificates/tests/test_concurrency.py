"""Two clerks issue at the same moment; two heads change one certificate's
status at the same moment (R7.1, R7.3). Needs real concurrent transactions,
so it runs on PostgreSQL (SQLite serialises writers)."""

from __future__ import annotations

import pytest
from django.db import connection

from yiwang.core.audit import audit_verify
from yiwang.domains.cases.tests.test_concurrency import race
from yiwang.domains.catalog.tests.conftest import make_staff
from yiwang.domains.certificates import identifiers, services
from yiwang.domains.certificates.models import Certificate, CertificateStatusChange, Seal
from yiwang.domains.certificates.tests.conftest import fresh

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)"
)

DATA = {"applicant_name": "张伟", "address": "无锡市梁溪区中山路1号"}


def test_simultaneous_issues_get_consecutive_serials_and_one_seal(transactional_db, cert_world):
    """R7.1: serials come from the locked per-type/issuer/year sequence —
    never the same twice; the agency's first seal is made once."""
    w = cert_world
    second = make_staff(w.lx_scj, "cert_clerk2", ["clerk"], "周敏")

    def issue(staff):
        return lambda: services.certificate_issue(
            actor=fresh(staff),
            issuer=w.lx_scj,
            type_id=w.food_type.pk,
            holder=w.applicant,
            data=DATA,
        )

    results = race(issue(w.clerk), issue(second), issue(w.clerk))
    assert all(r.startswith("ok:") for r in results), results
    serials = sorted(identifiers.parse(c.identifier).serial for c in Certificate.objects.all())
    year = Certificate.objects.first().issued_on.year
    assert serials == [identifiers.serial_for(year, n) for n in (1, 2, 3)]
    assert Seal.objects.filter(agency=w.lx_scj).count() == 1
    report = audit_verify()
    assert report.ok, report.first_problem


def test_simultaneous_status_changes_one_wins(transactional_db, cert_world):
    """R7.3: revoke and suspend at once: one applies, the other is refused
    (or follows it when allowed), and the history has no lost update."""
    w = cert_world
    cert = services.certificate_issue(
        actor=fresh(w.clerk), issuer=w.lx_scj, type_id=w.food_type.pk, holder=w.applicant, data=DATA
    )
    head2 = make_staff(w.lx_scj, "cert_head2", ["unit_head"], "孙立")
    results = race(
        lambda: services.certificate_status_change(
            actor=fresh(w.head), certificate_id=cert.pk, status="revoked", reason="吊销"
        ),
        lambda: services.certificate_status_change(
            actor=fresh(head2), certificate_id=cert.pk, status="withdrawn", reason="撤销"
        ),
    )
    assert sorted(r.split(":")[0] for r in results) == ["ok", "refused"], results
    cert.refresh_from_db()
    changes = list(CertificateStatusChange.objects.filter(certificate=cert).order_by("pk"))
    assert [c.to_status for c in changes][-1] == cert.status and len(changes) == 2
    assert changes[1].from_status == "valid"
    report = audit_verify()
    assert report.ok, report.first_problem
