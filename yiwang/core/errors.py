"""Domain errors: a stable code for machines and a Chinese message for people.

Views and the API turn these into responses ({"code", "message"}); services
raise them and never return half-done work.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "invalid"
    message = "请求无效"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        fields: dict[str, str] | None = None,
    ) -> None:
        self.message = message or self.message
        self.code = code or self.code
        self.fields = fields or {}
        super().__init__(self.message)

    def as_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"code": self.code, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        return body


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"
    message = "提交的数据有误"


class NotFound(DomainError):
    status = 404
    code = "not_found"
    message = "记录不存在"


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"
    message = "您没有执行此操作的权限"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    message = "操作冲突，请刷新后重试"


class CalendarYearNotLoaded(DomainError):
    status = 422
    code = "calendar_year_not_loaded"

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year}年的工作日历尚未载入，无法计算期限；请中心管理员先载入该年的节假日安排"
        )
