from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, object]:
    return {
        "platform_name": settings.YIWANG_PLATFORM_NAME,
        "region_name": settings.YIWANG_REGION_NAME,
        "large_font": request.COOKIES.get("large_font") == "1",
    }
