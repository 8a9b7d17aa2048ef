"""Staff login and logout on the console (R2.3): separate from the portal;
only an active staff member gets in, and failures count towards lockout."""

from __future__ import annotations

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from yiwang.core.errors import DomainError
from yiwang.domains.accounts.auth import login_staff
from yiwang.web.auth import attach_staff
from yiwang.web.portal.accounts_views import safe_next


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    home = reverse("console:home")
    context: dict[str, object] = {"next": safe_next(request, "")}
    if request.method == "POST":
        username = request.POST.get("username", "")
        try:
            login_staff(request, username, request.POST.get("password", ""))
        except DomainError as exc:
            context.update(error=exc.message, username=username.strip())
            return render(request, "console/login.html", context, status=exc.status)
        return redirect(safe_next(request, home))
    if attach_staff(request) is not None:
        return redirect(safe_next(request, home))
    return render(request, "console/login.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("console:login")
