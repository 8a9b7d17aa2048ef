from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from yiwang.web.console.menu import menu_for


def platform(request: HttpRequest) -> dict[str, object]:
    staff = getattr(request, "staff", None)
    return {
        "platform_name": settings.YIWANG_PLATFORM_NAME,
        "region_name": settings.YIWANG_REGION_NAME,
        "large_font": request.COOKIES.get("large_font") == "1",
        "staff": staff,
        "applicant": getattr(request, "applicant", None),
        "console_menu": menu_for(staff) if staff is not None else [],
    }
