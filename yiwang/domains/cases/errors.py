"""Error codes of the case domain, each with its Chinese message.

Services raise the shared kernel's classes with one of these codes, so the
console, the portal and the API can tell the cases apart without parsing
messages. A wrong-state action is ``lifecycle.IllegalTransition``.
"""

from __future__ import annotations

from yiwang.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from yiwang.domains.cases.lifecycle import IllegalTransition

__all__ = [
    "CODES",
    "Conflict",
    "IllegalTransition",
    "NotFound",
    "PermissionDenied",
    "ValidationFailed",
]

CODES: dict[str, str] = {
    "case_not_found": "办件不存在",
    "case_forbidden": "您无权办理该办件",
    "form_invalid": "申请表填写有误",
    "materials_missing": "申请材料不齐全",
    "material_unknown": "该事项没有这项申请材料",
    "upload_invalid": "上传的文件不符合要求",
    "applicant_required": "请指定申请人",
    "authorisation_invalid": "没有有效的代办授权",
    "step_taken": "该环节已由他人认领",
    "step_not_active": "该环节当前不能办理",
    "step_forbidden": "您没有该环节的办理权限",
    "decision_invalid": "决定内容有误",
    "deferred_outstanding": "容缺后补材料尚未补齐",
    "procedure_open": "特别程序尚未结束",
    "extension_invalid": "延期申请有误",
    "assist_invalid": "协办请求有误",
    "delivery_invalid": "送达信息有误",
    "correction_invalid": "补正告知有误",
    "reason_required": "请填写理由",
    "idempotency_key_reused": "该幂等键已用于另一份申请",
    "bundle_not_found": "“一件事”不存在",
    "forward_invalid": "联合办理信息有误",
    "joint_parts_open": "协办/会办单位尚未办结",
}
