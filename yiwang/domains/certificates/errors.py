"""Error codes of the certificates domain, each with its Chinese message."""

from __future__ import annotations

from yiwang.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

__all__ = ["CODES", "Conflict", "NotFound", "PermissionDenied", "ValidationFailed"]

CODES: dict[str, str] = {
    "type_code_invalid": "证照类型代码应为定义机构的统一社会信用代码加3位数字",
    "type_code_taken": "该证照类型代码已被使用",
    "type_not_found": "证照类型不存在",
    "type_forbidden": "您无权维护该证照类型",
    "type_inactive": "证照类型已停用",
    "seal_not_found": "电子印章不存在",
    "seal_forbidden": "您无权管理该单位的电子印章",
    "seal_unusable": "电子印章已吊销或不在有效期内",
    "certificate_not_found": "电子证照不存在",
    "certificate_forbidden": "您无权办理该电子证照",
    "certificate_data_invalid": "照面信息填写有误",
    "holder_invalid": "持证主体信息有误",
    "status_invalid": "证照状态变更不允许",
    "identifier_invalid": "证照标识不正确",
    "import_invalid": "导入文件有错误",
}
