"""Logging in (R2.3, R14.3): applicants by resident ID (x or X), phone or credit
code on the portal, staff on the console, never across; lockout after
repeated failures (django-axes), reset by a success."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.test import RequestFactory

from yiwang.domains.accounts.auth import login_applicant, login_staff
from yiwang.domains.accounts.errors import (
    AccountLocked,
    LoginFailed,
    PermissionDenied,
    WrongLoginPage,
)
from yiwang.domains.accounts.services import entity_register, person_register
from yiwang.domains.accounts.tests.conftest import (
    PASSWORD,
    entity_data,
    new_id_ending_x,
    person_data,
)

pytestmark = pytest.mark.django_db


def _request(path: str = "/login/"):
    request = RequestFactory().post(path, {"username": "x"}, REMOTE_ADDR="10.1.2.3")
    SessionMiddleware(lambda r: None).process_request(request)
    return request


@pytest.fixture
def person_and_data():
    data = person_data()
    return person_register(actor=None, **data), data


def test_login_by_id_number_in_either_case(person_and_data):
    """R2.3: the resident ID logs in, whether the check character is typed x or X."""
    person, data = person_and_data
    assert login_applicant(_request(), data["id_number"], PASSWORD) == person.user
    id_number = new_id_ending_x()
    other = person_register(actor=None, **person_data(id_number=id_number))
    assert login_applicant(_request(), id_number.lower(), PASSWORD) == other.user
    assert login_applicant(_request(), f" {id_number} ", PASSWORD) == other.user


def test_login_by_phone(person_and_data):
    person, data = person_and_data
    assert login_applicant(_request(), data["phone"], PASSWORD) == person.user
    assert login_applicant(_request(), "+86 " + data["phone"], PASSWORD) == person.user


def test_login_by_credit_code():
    data = entity_data()
    entity = entity_register(actor=None, **data)
    assert login_applicant(_request(), data["credit_code"].lower(), PASSWORD) == entity.user


def test_wrong_password_and_unknown_login_fail_alike(person_and_data):
    """R14.3: the message does not reveal whether an ID number is registered."""
    _, data = person_and_data
    with pytest.raises(LoginFailed) as wrong:
        login_applicant(_request(), data["id_number"], "not-the-password")
    with pytest.raises(LoginFailed) as unknown:
        login_applicant(_request(), person_data()["id_number"], PASSWORD)
    assert wrong.value.message == unknown.value.message == "登录名或密码错误"
    with pytest.raises(LoginFailed):
        login_applicant(_request(), "", "")


def test_lockout_after_the_limit_even_with_the_right_password(person_and_data, settings):
    """R2.3, R14.2: after AXES_FAILURE_LIMIT failures the account is locked for
    the cool-off time, whichever way the login is typed, even with the right
    password; the message names the minutes."""
    _, data = person_and_data
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(1, limit + 1):
        # Alternate ID number and phone: both count against the one account.
        login = data["id_number"] if attempt % 2 else data["phone"]
        error = AccountLocked if attempt == limit else LoginFailed
        with pytest.raises(error):
            login_applicant(_request(), login, "wrong-password")
    with pytest.raises(AccountLocked) as locked:
        login_applicant(_request(), data["id_number"], PASSWORD)
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    assert locked.value.message == f"登录失败次数过多，账户已锁定，请{minutes}分钟后再试"
    assert locked.value.status == 429


def test_success_resets_the_failure_count(person_and_data, settings):
    """R2.3: a successful login clears earlier failures."""
    person, data = person_and_data
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        with pytest.raises(LoginFailed):
            login_applicant(_request(), data["id_number"], "wrong-password")
    assert login_applicant(_request(), data["id_number"], PASSWORD) == person.user
    assert not AccessAttempt.objects.filter(username=person.user.username).exists()
    for _ in range(limit - 1):
        with pytest.raises(LoginFailed):
            login_applicant(_request(), data["id_number"], "wrong-password")
    assert login_applicant(_request(), data["id_number"], PASSWORD) == person.user


def test_login_records_hold_no_clear_identifiers(person_and_data):
    """R14.3: axes' attempt and access logs carry neither ID number nor phone."""
    _, data = person_and_data
    request = RequestFactory().post(
        "/login/", {"username": data["id_number"], "password": "bad"}, REMOTE_ADDR="10.1.2.3"
    )
    SessionMiddleware(lambda r: None).process_request(request)
    with pytest.raises(LoginFailed):
        login_applicant(request, data["id_number"], "bad")
    login_applicant(_request(), data["phone"], PASSWORD)
    assert AccessAttempt.objects.exists() or AccessLog.objects.exists()
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM axes_accessattempt")
        rows = [" ".join(str(v) for v in r) for r in cur.fetchall()]
        cur.execute("SELECT * FROM axes_accesslog")
        rows += [" ".join(str(v) for v in r) for r in cur.fetchall()]
    text = "\n".join(rows)
    assert data["id_number"] not in text
    assert data["phone"] not in text


def test_staff_logs_into_the_console_not_the_portal(staff_user):
    """R2.3: staff log in on the console; the portal refuses them clearly."""
    assert login_staff(_request("/console/login/"), "liangxi_clerk", PASSWORD) == staff_user
    with pytest.raises(WrongLoginPage) as caught:
        login_applicant(_request(), "liangxi_clerk", PASSWORD)
    assert "管理平台" in caught.value.message


def test_applicant_cannot_log_into_the_console(person_and_data):
    """R2.3: an applicant's right password on the console is refused clearly."""
    _, data = person_and_data
    with pytest.raises(WrongLoginPage) as caught:
        login_staff(_request("/console/login/"), data["id_number"], PASSWORD)
    assert "门户网站" in caught.value.message


def test_staff_not_in_post_cannot_log_in(staff_user):
    """R2.2: only an active staff member reaches the console."""
    staff_user.staff.active = False
    staff_user.staff.save()
    with pytest.raises(PermissionDenied):
        login_staff(_request("/console/login/"), "liangxi_clerk", PASSWORD)


def test_staff_lockout(staff_user, settings):
    """R2.3: staff logins are locked after repeated failures too."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        with pytest.raises((LoginFailed, AccountLocked)):
            login_staff(_request("/console/login/"), "liangxi_clerk", "wrong")
    with pytest.raises(AccountLocked):
        login_staff(_request("/console/login/"), "liangxi_clerk", PASSWORD)
