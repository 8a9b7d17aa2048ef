"""Error codes of the applicants domain, each with its Chinese message (R2.3)."""

from __future__ import annotations

from yiwang.core.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)

__all__ = [
    "AccountLocked",
    "AlreadyRegistered",
    "Conflict",
    "LoginFailed",
    "NotFound",
    "PermissionDenied",
    "RealNameRejected",
    "ValidationFailed",
    "VerifierDown",
    "WrongLoginPage",
]


class RealNameRejected(ValidationFailed):
    code = "realname_rejected"
    message = "实名核验未通过"


class VerifierDown(DomainError):
    status = 503
    code = "realname_unavailable"
    message = "实名核验服务暂时无法使用，请稍后再试"


class AlreadyRegistered(Conflict):
    code = "already_registered"
    message = "该申请人已注册"


class LoginFailed(DomainError):
    status = 401
    code = "login_failed"
    message = "登录名或密码错误"


class AccountLocked(DomainError):
    status = 429
    code = "account_locked"

    def __init__(self, minutes: int) -> None:
        self.minutes = minutes
        super().__init__(f"登录失败次数过多，账户已锁定，请{minutes}分钟后再试")


class WrongLoginPage(DomainError):
    """Right password, wrong face: staff use the console, applicants the portal."""

    status = 403
    code = "wrong_login_page"
