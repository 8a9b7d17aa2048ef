"""The demo's certificates (R7.1, R7.2, R5.8): types kept by 无锡市市场监督管理局
with the type codes the guides' materials name, the granted demo cases'
certificates, legacy ones for the demo entities; loading twice adds nothing."""

from __future__ import annotations

import pytest

from yiwang.core.audit import audit_verify
from yiwang.demo.applicants import load_applicants
from yiwang.demo.cases import load_cases
from yiwang.demo.catalog import load_catalog
from yiwang.demo.catalog_data.common import CERT
from yiwang.demo.certificates import load_certificates
from yiwang.demo.city import load_city
from yiwang.demo.loader import load_calendar
from yiwang.domains.accounts.models import Entity
from yiwang.domains.cases.models import Case
from yiwang.domains.certificates import identifiers, selectors
from yiwang.domains.certificates.models import Certificate, CertificateType, SealUse


@pytest.mark.django_db
def test_demo_certificates_are_issued_and_loading_is_idempotent():
    """R7.1, R7.2: granted demo cases got their certificates (identifier
    check passes, verification says valid); demo entities hold legacy
    营业执照 that 免证办 can match by the guides' type codes."""
    load_calendar()
    load_city()
    load_applicants()
    load_catalog()
    load_cases()
    first = load_certificates()
    assert first["types"] == 4 and first["legacy"] >= 6
    granted = Case.objects.filter(idempotency_key__startswith="demo-", decision="granted")
    assert granted.exists()
    for case in granted:
        cert = Certificate.objects.filter(case=case).first()
        if case.version.result_type == "证照" and cert is None:
            assert not case.item.entry.basic_code.startswith("0101300"), case.title
            continue
        if cert is not None:
            assert identifiers.identifier_error(cert.identifier) is None
            assert selectors.certificate_verify(cert.identifier).valid
    assert first["issued"] >= 1
    licence = CertificateType.objects.get(code=CERT["business_licence"])
    assert licence.definer_name == "国家市场监督管理总局"
    entity = Entity.objects.order_by("pk").first()
    mine = list(selectors.valid_certificates_of(entity.user, CERT["business_licence"]))
    assert len(mine) == 1 and mine[0].number == entity.credit_code
    counts = (Certificate.objects.count(), SealUse.objects.count())
    again = load_certificates()
    assert again == {"types": 0, "issued": 0, "legacy": 0}
    assert (Certificate.objects.count(), SealUse.objects.count()) == counts
    report = audit_verify()
    assert report.ok, report.first_problem
