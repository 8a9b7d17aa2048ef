"""Logging in: applicants on the portal, staff on the console (R2.3, R14.3).

Applicants type what they know — a resident ID number (x or X), their phone
number or their entity's unified social credit code — and it is mapped to the
account's user name (``P`` + blind index of the ID number, ``E`` + credit
code) before ``django.contrib.auth.authenticate`` runs, so every way of typing
the same account counts towards one lockout (django-axes, locked by user name
after ``AXES_FAILURE_LIMIT`` failures for ``AXES_COOLOFF_TIME``; a success
resets the count). Unknown logins are mapped the same way and fail the same
way, so the page tells nobody which ID numbers are registered.

Staff and applicants never cross faces: a correct password typed on the
wrong face is refused with a message pointing to the right page, and no
session starts.

Logins are not written to the audit chain (which records changes of data);
django-axes keeps the access log (``axes_accesslog``: user name, address,
time, logout) and the failure records. Neither holds an ID number or phone
in clear: user names carry none, and the login form field is named
``username``, which axes masks in what it stores of the request.
"""

from __future__ import annotations

import math
import re
from datetime import timedelta

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.http import HttpRequest

from yiwang.core.checkdigits import is_valid_credit_code, is_valid_resident_id
from yiwang.core.pii import blind_index
from yiwang.domains.accounts.errors import (
    AccountLocked,
    LoginFailed,
    PermissionDenied,
    WrongLoginPage,
)
from yiwang.domains.accounts.models import Person, User
from yiwang.domains.accounts.services import PHONE_RE, normalize_phone

_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
_CREDIT_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _candidates(login: str) -> list[str]:
    """User names the typed login may stand for, most likely first."""
    text = login.strip()
    compact = re.sub(r"\s", "", text)
    upper = compact.upper()
    found: list[str] = []
    if is_valid_resident_id(upper):
        found.append("P" + blind_index(upper))
    if is_valid_credit_code(upper):
        found.append("E" + upper)
    if not found:
        if _ID_SHAPE.match(upper):
            found.append("P" + blind_index(upper))
        elif _CREDIT_SHAPE.match(upper):
            found.append("E" + upper)
    phone = normalize_phone(compact)
    if not found and PHONE_RE.match(phone):
        index = blind_index(phone)
        owner = Person.objects.filter(phone_index=index).values_list("user__username", flat=True)
        found.append(owner.first() or "M" + index)
    return found


def applicant_username(login: str) -> str | None:
    """The user name an applicant's login stands for, or None when the login
    has none of the applicant shapes (it may be a staff login name)."""
    found = _candidates(login)
    if len(found) > 1:
        existing = set(User.objects.filter(username__in=found).values_list("username", flat=True))
        for name in found:
            if name in existing:
                return name
    return found[0] if found else None


def _lockout_minutes(request: HttpRequest) -> int:
    cool_off = get_cool_off(request)
    if not isinstance(cool_off, timedelta):
        return 0
    return max(1, math.ceil(cool_off.total_seconds() / 60))


def _authenticate(request: HttpRequest, username: str, password: str) -> User:
    # ``request`` lets axes see the attempt: it refuses locked accounts before
    # the password is checked and counts this attempt if it fails.
    user = authenticate(request=request, username=username, password=password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            raise AccountLocked(_lockout_minutes(request))
        raise LoginFailed()
    return user  # type: ignore[return-value]


def login_applicant(request: HttpRequest, login: str, password: str) -> User:
    """Log an applicant in on the portal by resident ID, phone or credit code.

    Raises LoginFailed, AccountLocked or WrongLoginPage (staff account)."""
    login = (login or "").strip()
    if not login or not password:
        raise LoginFailed("请输入身份证号、手机号或统一社会信用代码，以及密码")
    mapped = applicant_username(login)
    username = mapped or login
    # Not an applicant's account: a staff login name typed here is checked
    # (and counted) like any other, so its owner can be told where to go.
    if (
        mapped is not None
        and not User.objects.filter(username=mapped).exists()
        and User.objects.filter(username=login, kind=User.Kind.STAFF).exists()
    ):
        username = login
    user = _authenticate(request, username, password)
    if user.kind == User.Kind.STAFF:
        raise WrongLoginPage("工作人员账户不能登录门户网站，请到政务服务管理平台登录")
    auth_login(request, user)
    return user


def login_staff(request: HttpRequest, username: str, password: str) -> User:
    """Log a staff member in on the console; only an active staff member may.

    Raises LoginFailed, AccountLocked, WrongLoginPage (applicant account) or
    PermissionDenied (staff member no longer in post)."""
    username = (username or "").strip()
    if not username or not password:
        raise LoginFailed("请输入登录名和密码")
    if not User.objects.filter(username=username).exists():
        mapped = applicant_username(username)
        if mapped is not None:
            username = mapped
    user = _authenticate(request, username, password)
    if user.kind != User.Kind.STAFF:
        raise WrongLoginPage("申请人账户不能登录管理平台，请到门户网站登录")
    # The Staff row belongs to orgs; it is reached through the user relation
    # so this domain does not import orgs.
    staff = getattr(user, "staff", None)
    if staff is None or not getattr(staff, "active", False):
        raise PermissionDenied("该工作人员账户未在岗或已停用，请联系本单位管理员")
    auth_login(request, user)
    return user


def start_session(request: HttpRequest, user: User) -> None:
    """Log in an applicant who has just registered with their password."""
    auth_login(request, user, backend=_MODEL_BACKEND)
