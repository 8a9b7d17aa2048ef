"""The permission codes of the platform and the default roles that bundle them.

A Role row holds codes from this catalogue; ``roles_sync_defaults`` keeps the
default roles current when code adds permissions. Later domains add their
codes here so one list names everything a role may do (R2.2).
"""

from __future__ import annotations

PERMISSIONS: dict[str, str] = {
    "orgs.view": "查看组织机构与人员",
    "orgs.manage": "维护区划、机构、大厅与窗口",
    "orgs.staff_request": "提出人员及权限变更申请",
    "orgs.staff_approve": "审批人员及权限变更（单位负责人）",
    "orgs.staff_apply": "执行人员及权限变更（单位管理员）",
    "orgs.staff_filings": "查阅人员及权限变更备案（政务服务中心）",
    "orgs.api_clients": "管理接入系统令牌",
    "calendar.edit": "维护工作日历",
    "audit.view": "查阅审计日志",
    "accounts.view_pii": "查看申请人完整身份信息",
    "accounts.register": "代申请人注册账户（窗口）",
    "catalog.edit": "编制本单位事项及办事指南",
    "catalog.review": "审核事项及办事指南（政务服务中心）",
    "catalog.legal_review": "合法性审查（基本目录）",
    "catalog.publish": "发布事项及办事指南、调整事项状态",
    "catalog.bundles": "维护“一件事”",
}

DEFAULT_ROLES: dict[str, tuple[str, list[str], str]] = {
    "unit_head": (
        "单位负责人",
        ["orgs.view", "orgs.staff_approve", "audit.view"],
        "审批本单位人员及权限变更",
    ),
    "unit_admin": (
        "单位管理员",
        ["orgs.view", "orgs.staff_request", "orgs.staff_apply", "orgs.api_clients"],
        "提出并执行本单位人员及权限变更",
    ),
    "centre_admin": (
        "中心管理员",
        [
            "orgs.view",
            "orgs.manage",
            "orgs.staff_request",
            "orgs.staff_apply",
            "orgs.staff_filings",
            "calendar.edit",
            "audit.view",
            "catalog.review",
            "catalog.publish",
            "catalog.bundles",
        ],
        "政务服务中心的平台管理员：区划机构、工作日历、备案、事项审核发布",
    ),
    "clerk": ("窗口受理人员", ["orgs.view", "accounts.register"], "受理申请，可代申请人注册"),
    "catalog_editor": ("事项编制人员", ["orgs.view", "catalog.edit"], "编制本单位事项和办事指南"),
    "legal_reviewer": (
        "合法性审查人员",
        ["orgs.view", "catalog.legal_review"],
        "审查基本目录的设定依据",
    ),
    "reviewer": ("审查人员", ["orgs.view"], "审查办件"),
    "approver": ("审批人员", ["orgs.view"], "作出决定"),
    "supervisor": ("电子监察人员", ["orgs.view", "audit.view"], "监督办理"),
    "data_officer": ("数据管理员", ["orgs.view"], "政务信息资源共享开放"),
    "archivist": ("档案管理员", ["orgs.view"], "电子文件归档"),
}

# --- power and responsibility lists, sunshine lists (R4.1–R4.7) ------------------
# Departments draft changes to their own powers (powers.edit at their agency);
# the reform office (审改办) reviews and the government approves within the
# division subtree of the agency where the role is granted; sunshine lists are
# kept by the finance and rural-revitalisation offices (sunshine.edit at the
# row's agency or over a division subtree).

PERMISSIONS.update(
    {
        "powers.view": "查看权责清单及调整申请",
        "powers.edit": "提出本部门权责清单调整申请、答复意见投诉",
        "powers.reform_review": "审核权责清单调整（审改办）",
        "powers.approve": "审定权责清单调整（本级政府）",
        "sunshine.edit": "编制、公布财政专项资金清单和扶贫项目资金清单",
    }
)

DEFAULT_ROLES.update(
    {
        "power_editor": (
            "权责清单编制人员",
            ["orgs.view", "powers.view", "powers.edit"],
            "编制本部门权责清单，提出调整申请，答复公众意见投诉",
        ),
        "reform_office": (
            "审改办审核人员",
            ["orgs.view", "powers.view", "powers.reform_review"],
            "审核本级及下级部门的权责清单调整申请",
        ),
        "gov_approver": (
            "权责清单审定人员",
            ["orgs.view", "powers.view", "powers.approve"],
            "代表本级政府审定权责清单调整",
        ),
        "sunshine_editor": (
            "阳光清单编制人员",
            ["orgs.view", "sunshine.edit"],
            "编制并公布财政专项资金清单、扶贫项目资金清单",
        ),
    }
)
for _role in ("centre_admin", "supervisor"):
    if "powers.view" not in DEFAULT_ROLES[_role][1]:
        DEFAULT_ROLES[_role][1].append("powers.view")

# --- cases (R2.2, R5, R6) -----------------------------------------------------------
# Acting on a case needs the permission at the case's agency; a handling step
# also needs the step's role (RoleGrant.role.code == StepSpec.role_code).

PERMISSIONS.update(
    {
        "cases.view": "查看本单位办件",
        "cases.intake": "窗口代录申请、登记代办授权",
        "cases.accept": "受理、不予受理、补正告知、退件、网上预审",
        "cases.handle": "办理环节：审查、特别程序、受理后补正、发起协办",
        "cases.assign": "分派办理环节",
        "cases.extend": "批准延长办理期限（单位负责人）",
        "cases.assist": "答复其他单位的协办请求",
    }
)

for _role, _codes in {
    "clerk": ["cases.view", "cases.intake", "cases.accept", "cases.handle"],
    "reviewer": ["cases.view", "cases.handle", "cases.assist"],
    "approver": ["cases.view", "cases.handle"],
    "unit_head": ["cases.view", "cases.assign", "cases.extend"],
    "supervisor": ["cases.view"],
}.items():
    for _code in _codes:
        if _code not in DEFAULT_ROLES[_role][1]:
            DEFAULT_ROLES[_role][1].append(_code)

# --- certificates and seals (R7) -----------------------------------------------------
# Each is checked at the agency concerned: the defining agency of a type, the
# issuing agency of a certificate, the agency owning a seal.

PERMISSIONS.update(
    {
        "certificates.types": "定义和维护本单位的证照类型",
        "certificates.issue": "签发、换发、变更、导入电子证照",
        "certificates.revoke": "暂扣、撤销、注销、吊销电子证照及恢复有效",
        "certificates.seals": "制作、吊销本单位电子印章",
    }
)

for _role, _codes in {
    "clerk": ["certificates.issue"],
    "unit_head": ["certificates.revoke"],
    "unit_admin": ["certificates.types", "certificates.seals"],
    "centre_admin": ["certificates.types", "certificates.seals"],
}.items():
    for _code in _codes:
        if _code not in DEFAULT_ROLES[_role][1]:
            DEFAULT_ROLES[_role][1].append(_code)
