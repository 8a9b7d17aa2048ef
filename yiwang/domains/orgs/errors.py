"""Error codes of the organisations domain, each with its Chinese message.

Services raise the shared kernel's classes with one of these codes so the API
and the console can tell the cases apart without parsing messages.
"""

from __future__ import annotations

from yiwang.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

__all__ = [
    "CODES",
    "Conflict",
    "NotFound",
    "PermissionDenied",
    "ValidationFailed",
]

CODES: dict[str, str] = {
    "division_invalid": "行政区划信息有误",
    "division_code_taken": "行政区划代码已存在",
    "division_out_of_scope": "超出本级政务服务中心的管辖范围",
    "agency_invalid": "机构信息有误",
    "credit_code_taken": "统一社会信用代码已被使用",
    "agency_cycle": "上级机构设置会形成循环",
    "agency_in_use": "机构仍在使用，不能停用",
    "centre_exists": "该区划已设立政务服务中心",
    "centre_invalid": "政务服务中心信息有误",
    "hall_invalid": "服务大厅信息有误",
    "window_invalid": "窗口信息有误",
    "window_number_taken": "窗口号已存在",
    "staff_invalid": "人员信息有误",
    "id_number_taken": "公民身份号码已登记",
    "login_name_taken": "登录名已被使用",
    "request_invalid": "变更申请有误",
    "request_state": "变更申请当前状态不允许此操作",
    "request_stale": "申请提出后对象已发生变化",
    "request_self": "不能审批本人提出或针对本人的申请",
    "no_filing_centre": "本级及上级均未设立政务服务中心",
    "bootstrap_system_only": "只有系统可以直接建立人员",
}
