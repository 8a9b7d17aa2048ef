"""Error codes of the catalogue domain, each with its Chinese message.

Services raise the shared kernel's classes (or the two subclasses below) with
one of these codes, so the API and the console can tell the cases apart
without parsing messages.
"""

from __future__ import annotations

from collections.abc import Sequence

from yiwang.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

__all__ = [
    "CODES",
    "Conflict",
    "GuideIncomplete",
    "ItemNotAcceptingApplications",
    "NotFound",
    "PermissionDenied",
    "ValidationFailed",
]

CODES: dict[str, str] = {
    "entry_invalid": "基本目录事项信息有误",
    "basic_code_taken": "基本编码已被使用",
    "item_type_unknown": "事项类型不存在",
    "item_invalid": "实施清单事项信息有误",
    "implementation_code_taken": "实施编码已被使用",
    "item_exists": "该机构在该区划已有同一目录事项的实施清单",
    "guide_invalid": "办事指南内容有误",
    "guide_incomplete": "办事指南要素不全",
    "version_state": "版本当前状态不允许此操作",
    "version_immutable": "已提交或已发布的版本不能修改",
    "draft_exists": "已有未发布的版本",
    "entry_unpublished": "基本目录事项尚未发布",
    "valid_from_invalid": "生效时间有误",
    "lifecycle_state": "事项当前状态不允许此操作",
    "scope": "超出本级政务服务中心的管辖范围",
    "item_not_accepting": "该事项当前不接受申请",
    "topic_invalid": "主题分类信息有误",
    "topic_code_taken": "主题分类代码已被使用",
    "bundle_invalid": "“一件事”信息有误",
    "bundle_code_taken": "“一件事”编码已被使用",
    "classification_invalid": "特色清单或主题分类有误",
}


class GuideIncomplete(ValidationFailed):
    """The guide lacks required elements (R3.4, R3.8); ``missing`` names each
    one in Chinese, in guide order."""

    code = "guide_incomplete"

    def __init__(self, missing: Sequence[str], *, action: str = "提交") -> None:
        self.missing = list(missing)
        super().__init__(
            f"办事指南要素不全，不能{action}。缺少：{'、'.join(self.missing)}",
            fields={"guide": "、".join(self.missing)},
        )

    def as_dict(self) -> dict[str, object]:
        body = super().as_dict()
        body["missing"] = self.missing
        return body


class ItemNotAcceptingApplications(Conflict):
    """R4.4: only listed, active, published items receive applications."""

    code = "item_not_accepting"
    message = "该事项当前不接受申请"
