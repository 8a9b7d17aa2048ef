"""Portal and console account pages (R2.3) through the Django test client:
register (re-shown with per-field Chinese errors), log in with a safe
``next``, my home with masked data, log out by POST, lockout page, and the
console's separate staff login."""

from __future__ import annotations

import pytest

from yiwang.domains.accounts.models import Entity, Person
from yiwang.domains.accounts.services import person_register
from yiwang.domains.accounts.tests.conftest import (
    PASSWORD,
    counts,
    entity_data,
    person_data,
    wrong_check,
)

pytestmark = pytest.mark.django_db


def _register_form(data: dict[str, str], kind: str = "person") -> dict[str, str]:
    form = {k: v for k, v in data.items() if v is not None}
    form.update(kind=kind, password2=data["password"], agree="1")
    return form


def test_register_person_logs_in_and_shows_masked_home(client):
    """R2.3, R14.3: after registering, my home greets with masked name and ID."""
    data = person_data()
    response = client.post("/register/", _register_form(data))
    assert response.status_code == 302
    assert response["Location"] == "/my/"
    html = client.get("/my/").content.decode()
    assert "张*明" in html
    assert data["id_number"][:4] + "**********" + data["id_number"][-4:] in html
    assert data["id_number"] not in html
    assert data["phone"] not in html
    assert "我的办件" in html and "暂无办件" in html
    assert "个人" in html


def test_register_entity_page(client):
    data = entity_data()
    response = client.post("/register/", _register_form(data, "entity"))
    assert response.status_code == 302
    html = client.get("/my/").content.decode()
    assert data["name"] in html and data["credit_code"] in html
    assert Entity.objects.count() == 1


def test_register_errors_keep_input_but_not_passwords(client):
    """R2.3: the form comes back with the field's Chinese error and what was typed."""
    data = person_data()
    data["id_number"] = wrong_check(data["id_number"])
    before = counts()
    response = client.post("/register/", _register_form(data))
    html = response.content.decode()
    assert response.status_code == 422
    assert "公民身份号码校验码错误" in html
    assert f'value="{data["id_number"]}"' in html
    assert f'value="{data["phone"]}"' in html
    assert PASSWORD not in html
    assert counts() == before


def test_register_password_mismatch_and_agreement(client):
    form = _register_form(person_data())
    form["password2"] = "something-else"
    form.pop("agree")
    response = client.post("/register/", form)
    html = response.content.decode()
    assert "两次输入的密码不一致" in html
    assert "请阅读并同意" in html
    assert Person.objects.count() == 0


def test_register_page_has_both_tabs_and_labels(client):
    html = client.get("/register/").content.decode()
    assert "个人注册" in html and "法人注册" in html
    assert 'for="id_id_number"' in html and 'autocomplete="new-password"' in html
    html = client.get("/register/?kind=entity").content.decode()
    assert 'name="credit_code"' in html and 'for="id_legal_representative_id"' in html


def test_login_page_redirects_to_safe_next_only(client):
    """R14.3: ``next`` may only point back into this site."""
    data = person_data()
    person_register(actor=None, **data)
    html = client.get("/login/").content.decode()
    assert "身份证号/手机号/统一社会信用代码" in html
    assert 'autocomplete="current-password"' in html
    response = client.post(
        "/login/", {"username": data["id_number"], "password": PASSWORD, "next": "/my/?tab=1"}
    )
    assert response["Location"] == "/my/?tab=1"
    client.post("/logout/")
    response = client.post(
        "/login/",
        {"username": data["phone"], "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/my/"


def test_wrong_password_shows_chinese_error_and_keeps_login(client):
    data = person_data()
    person_register(actor=None, **data)
    response = client.post("/login/", {"username": data["phone"], "password": "nope"})
    html = response.content.decode()
    assert response.status_code == 401
    assert "登录名或密码错误" in html
    assert f'value="{data["phone"]}"' in html


def test_lockout_page_after_repeated_failures(client, settings):
    """R2.3: the limit-th failure and every attempt after it show the lock page
    with the minutes, even with the right password."""
    data = person_data()
    person_register(actor=None, **data)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert (
            client.post("/login/", {"username": data["id_number"], "password": "x"}).status_code
            == 401
        )
    response = client.post("/login/", {"username": data["id_number"], "password": "x"})
    assert response.status_code == 429
    response = client.post("/login/", {"username": data["id_number"], "password": PASSWORD})
    assert response.status_code == 429
    assert f"{int(settings.AXES_COOLOFF_TIME * 60)} 分钟" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only(client):
    data = person_data()
    person_register(actor=None, **data)
    client.post("/login/", {"username": data["id_number"], "password": PASSWORD})
    assert client.get("/logout/").status_code == 405
    assert client.get("/my/").status_code == 200
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/my/").status_code == 302


def test_my_home_needs_login(client):
    response = client.get("/my/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/my/")


def test_change_password_page(client):
    data = person_data()
    person_register(actor=None, **data)
    client.post("/login/", {"username": data["id_number"], "password": PASSWORD})
    response = client.post(
        "/my/password/",
        {"old_password": "bad", "new_password": "Taihu#2027", "new_password2": "Taihu#2027"},
    )
    assert "原密码不正确" in response.content.decode()
    response = client.post(
        "/my/password/",
        {"old_password": PASSWORD, "new_password": "Taihu#2027", "new_password2": "Taihu#2027"},
    )
    assert response.status_code == 302
    assert client.get("/my/").status_code == 200  # the session survives its own change
    client.post("/logout/")
    response = client.post("/login/", {"username": data["id_number"], "password": "Taihu#2027"})
    assert response.status_code == 302


def test_console_login_for_staff_only(client, staff_user):
    """R2.3: staff log in on the console; applicants are refused there, staff on the portal."""
    html = client.get("/console/login/").content.decode()
    assert "工作人员登录" in html and 'autocomplete="username"' in html
    response = client.post("/console/login/", {"username": "liangxi_clerk", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/console/"
    assert client.get("/console/").status_code == 200
    assert client.get("/console/logout/").status_code == 405
    assert client.post("/console/logout/")["Location"] == "/console/login/"
    assert client.get("/console/").status_code == 302

    response = client.post("/login/", {"username": "liangxi_clerk", "password": PASSWORD})
    assert response.status_code == 403
    assert "管理平台登录" in response.content.decode()

    data = person_data()
    person_register(actor=None, **data)
    response = client.post("/console/login/", {"username": data["id_number"], "password": PASSWORD})
    assert response.status_code == 403
    assert "门户网站登录" in response.content.decode()
    assert "_auth_user_id" not in client.session
