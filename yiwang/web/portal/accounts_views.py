"""Applicant registration, login, logout and password pages (R2.3).

The views read the form, call the accounts services and show their Chinese
messages next to the fields; no rule lives here beyond "the two passwords
typed match", which is about typing, not about accounts.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from yiwang.core.errors import DomainError
from yiwang.domains.accounts.auth import login_applicant, start_session
from yiwang.domains.accounts.models import Person
from yiwang.domains.accounts.services import (
    entity_change_password,
    entity_register,
    person_change_password,
    person_register,
)
from yiwang.web.auth import applicant_required, attach_applicant

PERSON_FIELDS = ("name", "id_number", "phone")
ENTITY_FIELDS = ("name", "credit_code", "legal_representative", "legal_representative_id", "phone")


def safe_next(request: HttpRequest, default: str) -> str:
    """The ``next`` target when it stays on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    attach_applicant(request)
    my_home = reverse("portal:my_home")
    context: dict[str, object] = {
        "next": safe_next(request, ""),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    if request.method == "POST":
        login = request.POST.get("username", "")
        try:
            login_applicant(request, login, request.POST.get("password", ""))
        except DomainError as exc:
            context.update(error=exc.message, username=login.strip())
            return render(request, "portal/login.html", context, status=exc.status)
        return redirect(safe_next(request, my_home))
    if getattr(request, "applicant", None) is not None:
        return redirect(safe_next(request, my_home))
    return render(request, "portal/login.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, "您已安全退出。")
    return redirect("portal:home")


@require_http_methods(["GET", "POST"])
def register_view(request: HttpRequest) -> HttpResponse:
    attach_applicant(request)
    kind = request.POST.get("kind") or request.GET.get("kind") or "person"
    if kind not in ("person", "entity"):
        kind = "person"
    fields = PERSON_FIELDS if kind == "person" else ENTITY_FIELDS
    values = {f: request.POST.get(f, "").strip() for f in fields}
    context: dict[str, object] = {"kind": kind, "values": values, "errors": {}}
    if request.method != "POST":
        return render(request, "portal/register.html", context)

    password = request.POST.get("password", "")
    errors: dict[str, str] = {}
    if password and password != request.POST.get("password2", ""):
        errors["password2"] = "两次输入的密码不一致"
    if request.POST.get("agree") != "1":
        errors["agree"] = "请阅读并同意用户服务协议和隐私政策"
    try:
        if errors:
            raise DomainError("请检查填写的内容", fields=errors)
        if kind == "person":
            applicant = person_register(actor=None, password=password, **values)
        else:
            applicant = entity_register(actor=None, password=password, **values)
    except DomainError as exc:
        context.update(error=exc.message, errors={**exc.fields, **errors})
        return render(request, "portal/register.html", context, status=exc.status)
    start_session(request, applicant.user)
    messages.success(request, "注册成功，已为您登录。")
    return redirect("portal:my_home")


@applicant_required
@require_http_methods(["GET", "POST"])
def password_view(request: HttpRequest) -> HttpResponse:
    applicant = request.applicant  # type: ignore[attr-defined]
    context: dict[str, object] = {"errors": {}}
    if request.method == "POST":
        new = request.POST.get("new_password", "")
        old = request.POST.get("old_password", "")
        try:
            if new and new != request.POST.get("new_password2", ""):
                raise DomainError(
                    "两次输入的新密码不一致", fields={"new_password2": "两次输入的新密码不一致"}
                )
            if isinstance(applicant, Person):
                person_change_password(
                    actor=applicant, person=applicant, old_password=old, new_password=new
                )
            else:
                entity_change_password(
                    actor=applicant, entity=applicant, old_password=old, new_password=new
                )
        except DomainError as exc:
            context.update(error=exc.message, errors=exc.fields)
            return render(request, "portal/password.html", context, status=exc.status)
        update_session_auth_hash(request, applicant.user)
        messages.success(request, "密码已修改。")
        return redirect("portal:my_home")
    return render(request, "portal/password.html", context)
