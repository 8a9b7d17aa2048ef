"""The applicants API (R1.4, R2.3, R14.3): token required; a wrong check digit
is 422 with a Chinese message and stores nothing; duplicates are 409;
answers are masked."""

from __future__ import annotations

import pytest

from yiwang.core.models import AuditEntry
from yiwang.domains.accounts.models import Person
from yiwang.domains.accounts.tests.conftest import (
    counts,
    entity_data,
    person_data,
    wrong_check,
)

pytestmark = pytest.mark.django_db


def _get(client, path, token):
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def _post(client, path, body, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(path, body, content_type="application/json", **headers)


def test_no_token_or_forged_token_is_401(client, api_token):
    """R14.3: only agency systems with a valid token may call."""
    before = counts()
    for token in (None, "forged-" + api_token):
        response = _post(client, "/api/applicants/persons", person_data(), token)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"
        assert "令牌" in response.json()["message"]
    assert client.get("/api/applicants/persons/1").status_code == 401
    assert counts() == before


def test_wrong_resident_id_check_digit_is_422_and_stores_nothing(client, api_token):
    """R2.3 acceptance: a wrong check digit → 422, Chinese message, nothing stored."""
    data = person_data()
    data["id_number"] = wrong_check(data["id_number"])
    before = counts()
    response = _post(client, "/api/applicants/persons", data, api_token)
    body = response.json()
    assert response.status_code == 422
    assert body["code"] == "validation_failed"
    assert "公民身份号码校验码错误" in body["message"]
    assert body["fields"] == {"id_number": "公民身份号码校验码错误"}
    assert counts() == before


def test_wrong_credit_code_check_digit_is_422_and_stores_nothing(client, api_token):
    data = entity_data()
    data["credit_code"] = wrong_check(data["credit_code"])
    before = counts()
    response = _post(client, "/api/applicants/entities", data, api_token)
    assert response.status_code == 422
    assert "统一社会信用代码校验码错误" in response.json()["message"]
    assert response.json()["fields"]["credit_code"] == "统一社会信用代码校验码错误"
    assert counts() == before


def test_service_rules_also_answer_422(client, api_token):
    """A weak password passes the schema but not the service: same 422 shape."""
    before = counts()
    response = _post(client, "/api/applicants/persons", person_data(password="12345678"), api_token)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert "password" in response.json()["fields"]
    assert counts() == before


def test_register_person_201_masked_then_read_and_duplicate_409(client, api_token):
    """R2.3, R14.3: success is 201 with masked data; the client is the audited actor."""
    data = person_data(password=None)
    response = _post(client, "/api/applicants/persons", data, api_token)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "person"
    assert body["name"] == "张*明"
    assert body["id_number"] == data["id_number"][:4] + "**********" + data["id_number"][-4:]
    assert body["phone"] == data["phone"][:3] + "****" + data["phone"][-4:]
    assert body["can_login"] is False
    assert data["id_number"] not in response.content.decode()
    entry = AuditEntry.objects.get(action="accounts.person_register", object_id=str(body["id"]))
    assert entry.actor_kind == "api"

    read = client.get(
        f"/api/applicants/persons/{body['id']}", HTTP_AUTHORIZATION=f"Bearer {api_token}"
    )
    assert read.status_code == 200
    assert read.json()["id_number"] == body["id_number"]

    again = _post(
        client, "/api/applicants/persons", person_data(id_number=data["id_number"]), api_token
    )
    assert again.status_code == 409
    assert again.json()["code"] == "already_registered"
    assert Person.objects.count() == 1


def test_register_entity_201(client, api_token):
    data = entity_data()
    response = _post(client, "/api/applicants/entities", data, api_token)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["credit_code"] == data["credit_code"]
    assert body["legal_representative"] == "李*梅"
    assert body["can_login"] is True
    read = client.get(
        f"/api/applicants/entities/{body['id']}", HTTP_AUTHORIZATION=f"Bearer {api_token}"
    )
    assert read.json()["name"] == data["name"]


def test_unknown_person_is_404_json(client, api_token):
    response = client.get(
        "/api/applicants/persons/999999", HTTP_AUTHORIZATION=f"Bearer {api_token}"
    )
    assert response.status_code == 404
    assert response.json()["message"] == "申请人（自然人）不存在"
