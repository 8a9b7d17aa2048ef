"""告知承诺 — trust level D (R5.8, R7.4; 国办函〔2016〕108号): a material whose
guide entry carries a pledge text may be replaced by the applicant's
pledge; the pledge is kept as a 告知承诺书 PDF with its SM3, the material
is level D on the applicant's and the clerk's pages, it has no original
for a window check, and a material without a pledge text refuses it. Real
database, real files, the real services and pages."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from yiwang.core.actors import SYSTEM
from yiwang.core.crypto import sm3_hex
from yiwang.core.errors import Conflict, ValidationFailed
from yiwang.core.files import open_stored
from yiwang.core.models import AuditEntry
from yiwang.domains.cases import services
from yiwang.domains.cases.lifecycle import Status
from yiwang.domains.cases.models import Case, CaseMaterial, TrustLevel
from yiwang.domains.cases.tests.conftest import FORM, pdf
from yiwang.domains.catalog.selectors import guide_doc_of
from yiwang.domains.catalog.tests.conftest import full_guide, publish_item
from yiwang.domains.orgs.models import Staff
from yiwang.domains.orgs.services import api_client_issue

PLEDGE = "本人承诺：经营场所已取得合法使用权，布局符合食品安全要求，如有不实愿承担法律责任。"


def fresh(staff: Staff) -> Staff:
    return Staff.objects.get(pk=staff.pk)


@pytest.fixture
def pledge_world(case_world: Any) -> Any:
    """An item whose required 经营场所使用证明 allows a pledge."""
    w = case_world
    guide = full_guide()
    materials = [dict(m) for m in guide["materials"][:2]]
    materials.append(
        {
            "code": "premises",
            "name": "经营场所使用证明",
            "kind": "other",
            "form": "electronic",
            "necessity": "required",
            "copies": 1,
            "source": "applicant",
            "pledge_text": PLEDGE,
        }
    )
    w["pledge_item"] = publish_item(
        city=w, guide=full_guide(materials=materials), name="食品经营许可（告知承诺）"
    )
    return w


def _draft(w: Any) -> Case:
    me = w.applicant
    case = services.case_draft_save(
        actor=me, item_id=w.pledge_item.pk, variant_code="first", form_data=FORM
    )
    for code in ("application", "licence"):
        services.case_material_upload(
            actor=me, case_id=case.pk, code=code, data=pdf(code), filename=f"{code}.pdf"
        )
    return case


def test_pledge_stands_for_the_material_at_level_d(pledge_world):
    """R5.8, R7.4: ticking the pledge records the guide's text in a stored
    告知承诺书 (PDF, SM3 recorded, audited with the text); the material is
    level D, the case submits with no upload of it; pledging again returns
    the same row; the clerk cannot 'check the original' of a pledge."""
    w = pledge_world
    case = _draft(w)
    with pytest.raises(ValidationFailed, match="还缺少申请材料：经营场所使用证明"):
        services.case_submit(actor=w.applicant, case_id=case.pk)
    m = services.case_material_pledge(actor=w.applicant, case_id=case.pk, code="premises")
    assert m.trust_level == TrustLevel.D and m.certificate_identifier == ""
    assert m.mime == "application/pdf" and m.original_name == "经营场所使用证明（告知承诺）"
    with open_stored(m.path) as fh:
        data = fh.read()
    assert data.startswith(b"%PDF") and sm3_hex(data) == m.sm3 and m.size == len(data)
    entry = AuditEntry.objects.filter(action="case.material_pledge").get()
    assert PLEDGE in str(entry.change)
    again = services.case_material_pledge(actor=w.applicant, case_id=case.pk, code="premises")
    assert again.pk == m.pk
    case = services.case_submit(actor=w.applicant, case_id=case.pk)
    assert case.status == Status.SUBMITTED
    with pytest.raises(Conflict, match="告知承诺（D级）"):
        services.case_material_check(actor=fresh(w.clerk), material_id=m.pk)


def test_material_without_pledge_text_refuses_a_pledge(pledge_world):
    """R7.4: only a material whose guide allows it can be pledged."""
    w = pledge_world
    case = _draft(w)
    with pytest.raises(ValidationFailed, match="不适用告知承诺") as exc:
        services.case_material_pledge(actor=w.applicant, case_id=case.pk, code="application")
    assert exc.value.code == "material_not_pledgeable"
    assert not CaseMaterial.objects.filter(case=case, trust_level=TrustLevel.D).exists()


def test_pledge_text_survives_a_new_guide_version(pledge_world):
    """R7.4: the pledge text is part of the guide document (a new version
    made from it keeps it)."""
    doc = guide_doc_of(pledge_world.pledge_item.current)
    premises = next(m for m in doc["materials"] if m["code"] == "premises")
    assert premises["pledge_text"] == PLEDGE


def test_portal_pledge_tick_and_console_shows_level_d(pledge_world, client):
    """R5.8, R7.4: the apply page shows the pledge text with a box to tick;
    ticking it and submitting needs no upload of that material; the clerk's
    case page shows the material as D级（申请人承诺）."""
    w = pledge_world
    client.force_login(w.applicant.user)
    url = f"/items/{w.pledge_item.implementation_code}/apply/"
    page = client.get(url).content.decode()
    assert PLEDGE in page and 'name="pledge_premises"' in page
    case = Case.objects.get(applicant=w.applicant.user, item=w.pledge_item)
    uploads = {}
    for code in ("application", "licence"):
        f = __import__("io").BytesIO(pdf(code))
        f.name = f"{code}.pdf"
        uploads[f"file_{code}"] = f
    response = client.post(
        url,
        {
            "case": case.pk,
            "variant": "first",
            **{k: str(v) for k, v in FORM.items()},
            **uploads,
            "pledge_premises": "on",
            "action": "submit",
            "idempotency_key": "pledge-1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED
    m = CaseMaterial.objects.get(case=case, code="premises")
    assert m.trust_level == TrustLevel.D
    client.force_login(fresh(w.clerk).user)
    console = client.get(f"/console/cases/{case.number}/").content.decode()
    assert "D级（申请人承诺）" in console


def test_api_application_with_a_pledge(pledge_world, client):
    """R5.8: an agency's system may send the applicant's pledge for a
    material that allows it (``pledges``)."""
    w = pledge_world
    _, token = api_client_issue(actor=SYSTEM, agency=w.lx_scj, name="梁溪审批系统")
    files = [
        {"material": c, "filename": f"{c}.pdf", "content_base64": base64.b64encode(pdf(c)).decode()}
        for c in ("application", "licence")
    ]
    response = client.post(
        "/api/cases",
        {
            "item": w.pledge_item.implementation_code,
            "variant": "first",
            "form": FORM,
            "applicant": {"id_number": w.applicant.id_number},
            "files": files,
            "pledges": ["premises"],
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.json()
    premises = next(m for m in response.json()["materials"] if m["code"] == "premises")
    assert premises["trust_level"] == "D"
