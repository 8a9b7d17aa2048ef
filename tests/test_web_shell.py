"""The web shell: health check, both faces' entry pages, the API's docs and
its error format (R1.1, R1.4)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_database(client):
    """R14.1: a monitor can tell the process reaches its database."""
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] in {"sqlite", "postgresql"}


def test_portal_home_is_chinese_and_mobile_ready(client):
    """R1.1, R1.2: the public portal answers in Chinese with a mobile viewport."""
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-CN"' in html
    assert 'name="viewport"' in html
    assert "一网通办" in html
    assert "长者模式" in html


def test_large_font_mode_is_rendered_by_the_server(client):
    client.cookies["large_font"] = "1"
    html = client.get("/").content.decode()
    assert 'class="large-font"' in html
    assert "标准字体" in html


def test_console_requires_staff_login(client):
    response = client.get("/console/")
    assert response.status_code == 302
    assert response["Location"].startswith("/console/login/")


def test_console_login_page(client):
    response = client.get("/console/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_api_docs_and_schema(client):
    """R1.4: agency systems find the documented API at /api/docs."""
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "一网政务服务平台接口"
    assert any(p.startswith("/api/orgs/") for p in schema["paths"])


def test_api_errors_are_json_with_chinese_message(client):
    response = client.get("/api/orgs/divisions/999999")
    assert response.status_code == 404
    body = response.json()
    assert set(body) >= {"code", "message"}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])


def test_unknown_page_is_a_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
