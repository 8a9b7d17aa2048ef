"""Guards for pages: staff pages need an active staff login, portal account
pages an applicant login. Each puts the actor on the request for services."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from yiwang.domains.accounts.selectors import applicant_for_user
from yiwang.domains.orgs.selectors import staff_for_user

View = Callable[..., HttpResponse]


def attach_staff(request: HttpRequest) -> Any:
    user = request.user
    if not user.is_authenticated or getattr(user, "kind", "") != "staff":
        return None
    staff = staff_for_user(user.pk)
    request.staff = staff  # type: ignore[attr-defined]
    return staff


def staff_required(view: View) -> View:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if attach_staff(request) is None:
            return redirect(f"{reverse('console:login')}?next={request.get_full_path()}")
        return view(request, *args, **kwargs)

    return wrapper


def attach_applicant(request: HttpRequest) -> Any:
    user = request.user
    if not user.is_authenticated:
        return None
    applicant = applicant_for_user(user)  # type: ignore[arg-type]
    request.applicant = applicant  # type: ignore[attr-defined]
    return applicant


def applicant_required(view: View) -> View:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if attach_applicant(request) is None:
            return redirect(f"{reverse('portal:login')}?next={request.get_full_path()}")
        return view(request, *args, **kwargs)

    return wrapper
