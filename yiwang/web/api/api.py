"""The HTTP API for agencies' systems (R1.4): django-ninja, OpenAPI at /api/docs.

Errors are JSON ``{"code", "message"}`` with a Chinese message, whatever
raised them: a domain error, a validation failure or a bad token.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from yiwang.core.errors import DomainError

api = NinjaAPI(
    title="一网政务服务平台接口",
    version="1",
    description=(
        "供各部门业务系统对接的接口。写接口需在请求头携带 `Authorization: Bearer <令牌>`；"
        '错误一律返回 JSON：`{"code": 错误代码, "message": 中文说明}`。'
    ),
    urls_namespace="api",
    docs_url="/docs",
)


def _field_path(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "请求"


_MESSAGES = {
    "missing": "为必填项",
    "string_too_short": "内容过短",
    "string_too_long": "内容过长",
    "int_parsing": "应为整数",
    "string_type": "应为文本",
    "json_invalid": "不是有效的 JSON",
}


@api.exception_handler(NinjaValidationError)
def _validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    for err in exc.errors:
        msg = str(err.get("msg", ""))
        if msg.startswith("Value error, "):
            msg = msg.removeprefix("Value error, ")
        else:
            msg = _MESSAGES.get(str(err.get("type")), "格式不正确")
        fields[_field_path(list(err.get("loc", [])))] = msg
    summary = "；".join(f"{k}：{v}" for k, v in fields.items())
    return api.create_response(
        request,
        {"code": "validation_failed", "message": f"提交的数据有误：{summary}", "fields": fields},
        status=422,
    )


@api.exception_handler(DomainError)
def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"code": "unauthenticated", "message": "令牌无效、已停用或未提供"}, status=401
    )


@api.exception_handler(HttpError)
def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(
        request, {"code": "http_error", "message": str(exc)}, status=exc.status_code
    )


def _register_routers() -> None:
    from yiwang.web.api import accounts, cases, catalog, certificates, orgs, powers

    api.add_router("/orgs", orgs.router)
    api.add_router("/applicants", accounts.router)
    api.add_router("/catalog", catalog.router)
    api.add_router("/powers", powers.router)
    api.add_router("/cases", cases.router)
    api.add_router("/certificates", certificates.router)


_register_routers()
