"""Input forms of the organisations pages. They check only the shape of the
input; every rule (codes, check digits, scope, workflow) is the services'."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms

from yiwang.domains.orgs.models import AgencyKind, DivisionLevel, HallLevel, WindowKind


def _blank(choices: Any) -> list[tuple[str, str]]:
    return [("", "请选择"), *list(choices)]


class DivisionCreateForm(forms.Form):
    code = forms.CharField(
        label="行政区划代码",
        max_length=12,
        help_text="省、市、县为6位 GB/T 2260 代码；乡镇、村（社区）为12位统计用区划代码，"
        "须以上级区划代码开头",
    )
    name = forms.CharField(label="名称", max_length=64)
    level = forms.ChoiceField(label="层级", choices=_blank(DivisionLevel.choices))


class DivisionEditForm(forms.Form):
    name = forms.CharField(label="名称", max_length=64)


class AgencyForm(forms.Form):
    name = forms.CharField(label="机构名称", max_length=128)
    short_name = forms.CharField(label="简称", max_length=64, required=False)
    kind = forms.ChoiceField(label="机构性质", choices=_blank(AgencyKind.choices))
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, min_length=18)
    division_code = forms.CharField(
        label="所属区划代码", max_length=12, help_text="6位或12位行政区划代码"
    )
    parent_credit_code = forms.CharField(
        label="上级机构统一社会信用代码",
        max_length=18,
        required=False,
        help_text="如为某局的分局、派出机构，填写上级机构的信用代码；否则留空",
    )
    phone = forms.CharField(label="联系电话", max_length=32, required=False)
    address = forms.CharField(label="地址", max_length=200, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=200, required=False)


class CentreForm(forms.Form):
    name = forms.CharField(label="中心名称", max_length=128)
    agency = forms.TypedChoiceField(label="管理机构", coerce=int, choices=())

    def __init__(self, *args: Any, agencies: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["agency"]).choices = _blank(
            (a.pk, a.name) for a in agencies
        )


class HallForm(forms.Form):
    name = forms.CharField(label="大厅名称", max_length=128)
    level = forms.ChoiceField(label="类别", choices=_blank(HallLevel.choices))
    address = forms.CharField(label="地址", max_length=200, required=False)
    phone = forms.CharField(label="咨询电话", max_length=32, required=False)
    hours = forms.CharField(label="办公时间", max_length=200, required=False)


class WindowForm(forms.Form):
    number = forms.CharField(label="窗口号", max_length=16)
    name = forms.CharField(label="窗口名称", max_length=64)
    kind = forms.ChoiceField(label="类别", choices=_blank(WindowKind.choices))
    agencies = forms.TypedMultipleChoiceField(
        label="进驻机构", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args: Any, agencies: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["agencies"]).choices = [
            (a.pk, f"{a.name}（{a.division.name}）") for a in agencies
        ]


class ApiClientForm(forms.Form):
    name = forms.CharField(label="接入系统名称", max_length=128)


# --- staff change requests ----------------------------------------------------------

_REASON = forms.CharField(
    label="变更事由", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
)


class CreateStaffForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=64)
    id_number = forms.CharField(label="公民身份号码", max_length=18, min_length=18)
    phone = forms.CharField(label="手机号码", max_length=32, required=False)
    title = forms.CharField(label="职务", max_length=64, required=False)
    login_name = forms.CharField(
        label="登录名", max_length=32, help_text="字母开头，3至32位字母、数字、下划线、点或短横线"
    )
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput(render_value=False),
        help_text="至少8位，不能是纯数字或常见密码；执行后请通知本人首次登录修改",
    )
    roles = forms.MultipleChoiceField(
        label="初始角色", required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = _REASON

    def __init__(self, *args: Any, roles: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["roles"]).choices = [(r.code, r.name) for r in roles]


class UpdateStaffForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=64)
    id_number = forms.CharField(
        label="公民身份号码",
        max_length=18,
        required=False,
        help_text="仅在需要更正时填写；留空表示不变",
    )
    phone = forms.CharField(label="手机号码", max_length=32, required=False)
    title = forms.CharField(label="职务", max_length=64, required=False)
    reason = _REASON


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="角色")
    reason = _REASON

    def __init__(self, *args: Any, roles: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = _blank(
            (r.code, r.name) for r in roles
        )


class PlainRequestForm(forms.Form):
    reason = _REASON


class DecisionForm(forms.Form):
    note = forms.CharField(
        label="审批意见", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
