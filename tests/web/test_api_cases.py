"""The case API for agencies' systems (R1.4): create and submit with an
idempotency key, read, and push results back (回流) — same rules as the
console, errors as {code, message}."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from yiwang.core.actors import SYSTEM
from yiwang.domains.cases import services
from yiwang.domains.cases.lifecycle import Status
from yiwang.domains.cases.models import Case, CaseMaterial
from yiwang.domains.cases.tests.conftest import FORM, pdf, png
from yiwang.domains.orgs.services import api_client_issue


@pytest.fixture
def tokens(case_world) -> dict[str, str]:
    w = case_world
    _, own = api_client_issue(actor=SYSTEM, agency=w.lx_scj, name="梁溪市场监管审批系统")
    _, other = api_client_issue(actor=SYSTEM, agency=w.bh_scj, name="滨湖市场监管审批系统")
    return {"own": own, "other": other}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _payload(w: Any, **over: Any) -> dict[str, Any]:
    body = {
        "item": w.item.implementation_code,
        "variant": "first",
        "form": FORM,
        "applicant": {"id_number": w.applicant.id_number},
        "files": [
            {"material": "application", "filename": "申请书.pdf", "content_base64": _b64(pdf())},
            {"material": "licence", "filename": "执照.png", "content_base64": _b64(png())},
        ],
    }
    body.update(over)
    return body


def _post(client: Any, path: str, body: Any, token: str, key: str = "") -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(path, body, content_type="application/json", **headers)


def test_create_twice_with_one_idempotency_key_makes_one_case(case_world, tokens, client):
    """R1.4, R5.1: a retried request with the same Idempotency-Key returns
    the case the first one made."""
    w = case_world
    first = _post(client, "/api/cases", _payload(w), tokens["own"], key="sys-0001")
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["status"] == Status.SUBMITTED and body["number"]
    assert body["channel"] == "api" and body["timeline"][0]["title"] == "提交申请"
    assert {m["code"] for m in body["materials"]} == {"application", "licence", "layout"}
    again = _post(client, "/api/cases", _payload(w), tokens["own"], key="sys-0001")
    assert again.status_code == 200 and again.json()["number"] == body["number"]
    assert Case.objects.exclude(status=Status.DRAFT).count() == 1
    read = client.get(f"/api/cases/{body['number']}", HTTP_AUTHORIZATION=f"Bearer {tokens['own']}")
    assert read.status_code == 200 and read.json()["applicant_name"] == "张伟"


def test_another_agencys_token_is_403(case_world, tokens, client):
    """R1.4, R2.2: a system acts only on its own agency's items and cases."""
    w = case_world
    refused = _post(client, "/api/cases", _payload(w), tokens["other"], key="x-1")
    assert refused.status_code == 403 and refused.json()["code"] == "case_forbidden"
    assert not Case.objects.exists()
    number = _post(client, "/api/cases", _payload(w), tokens["own"]).json()["number"]
    for method, path, body in (
        ("get", f"/api/cases/{number}", None),
        ("post", f"/api/cases/{number}/accept", {}),
        ("post", f"/api/cases/{number}/decision", {"decision": "granted", "reason": "符合"}),
        ("post", f"/api/cases/{number}/steps/review/complete", {"opinion": "通过"}),
    ):
        if method == "get":
            response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {tokens['other']}")
        else:
            response = _post(client, path, body, tokens["other"])
        assert response.status_code == 403, path
        assert set(response.json()) >= {"code", "message"}
    assert Case.objects.get(number=number).status == Status.SUBMITTED


def test_errors_are_code_and_message(case_world, tokens, client):
    """R1.4: bad input is a Chinese {code, message} with the right status."""
    w = case_world
    assert _post(client, "/api/cases", _payload(w), "forged").status_code == 401
    unknown = _post(client, "/api/cases", _payload(w, item="NOPE"), tokens["own"])
    assert unknown.status_code == 404 and unknown.json()["code"] == "item_not_found"
    nobody = _post(
        client,
        "/api/cases",
        _payload(w, applicant={"credit_code": "91320200MA1XXXXX0X"}),
        tokens["own"],
    )
    assert nobody.status_code == 404 and "尚未在平台注册" in nobody.json()["message"]
    exe = _payload(w)
    exe["files"][1] = {
        "material": "licence",
        "filename": "执照.pdf",
        "content_base64": _b64(b"MZ\x90\x00" + b"\x00" * 60),
    }
    refused = _post(client, "/api/cases", exe, tokens["own"])
    assert refused.status_code == 422 and refused.json()["message"]
    missing = _post(
        client, "/api/cases", _payload(w, form={"applicant_name": "张伟"}), tokens["own"]
    )
    assert missing.status_code == 422 and missing.json()["code"] == "form_invalid"
    assert not Case.objects.exclude(status=Status.DRAFT).exists()
    gone = client.get("/api/cases/NO-SUCH", HTTP_AUTHORIZATION=f"Bearer {tokens['own']}")
    assert gone.status_code == 404 and gone.json()["code"] == "case_not_found"


def test_push_back_accept_correction_step_and_decision(case_world, tokens, client, agency_keys):
    """R1.4, R5.4, R6.4, R6.9: the agency's system accepts, completes the
    review step (回流) and decides; illegal moves are 409; the timeline
    names the system's unit."""
    w = case_world
    token = tokens["own"]
    files = _payload(w)["files"] + [
        {"material": "layout", "filename": "布局图.png", "content_base64": _b64(png())}
    ]
    number = _post(client, "/api/cases", _payload(w, files=files), token).json()["number"]
    early = _post(client, f"/api/cases/{number}/steps/review/complete", {"opinion": "好"}, token)
    assert early.status_code == 404  # no steps before acceptance
    correction = _post(
        client,
        f"/api/cases/{number}/correction",
        {"lines": [{"code": "licence", "problem": "照片不清晰"}]},
        token,
    )
    assert correction.status_code == 200 and correction.json()["status"] == Status.CORRECTING
    illegal = _post(client, f"/api/cases/{number}/accept", {}, token)
    assert illegal.status_code == 409 and illegal.json()["code"] == "illegal_transition"
    case = Case.objects.get(number=number)
    # The applicant replaces the named file and resubmits (portal side).
    old = CaseMaterial.objects.get(case=case, code="licence", replaced=False)
    services.case_material_remove(actor=w.applicant, material_id=old.pk)
    services.case_material_upload(
        actor=w.applicant, case_id=case.pk, code="licence", data=png(), filename="新执照.png"
    )
    services.case_resubmit(actor=w.applicant, case_id=case.pk)

    accepted = _post(client, f"/api/cases/{number}/accept", {"opinion": "材料齐全"}, token)
    assert accepted.status_code == 200, accepted.json()
    body = accepted.json()
    assert body["status"] == Status.HANDLING and body["promised_due"]
    assert [s["code"] for s in body["steps"]] == ["accept", "review", "decide", "deliver"]
    assert any(
        d["kind"] == "acceptance" and d["status"] == "ready" and len(d["sm3"]) == 64
        for d in body["documents"]
    )
    done = _post(
        client, f"/api/cases/{number}/steps/review/complete", {"opinion": "审查通过"}, token
    )
    assert done.status_code == 200, done.json()
    steps = {s["code"]: s for s in done.json()["steps"]}
    assert steps["review"]["status"] == "done" and steps["decide"]["status"] == "active"
    assert any("业务系统" in e["unit"] for e in done.json()["timeline"])
    bad = _post(
        client, f"/api/cases/{number}/decision", {"decision": "maybe", "reason": "x"}, token
    )
    assert bad.status_code == 422 and bad.json()["code"] == "decision_invalid"
    decided = _post(
        client,
        f"/api/cases/{number}/decision",
        {"decision": "granted", "reason": "符合法定条件"},
        token,
    )
    assert decided.status_code == 200, decided.json()
    assert decided.json()["status"] == Status.DECIDED
    assert any(d["kind"] == "grant" and d["signed"] for d in decided.json()["documents"])
