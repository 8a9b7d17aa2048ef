"""Forms of the certificate console pages (R7.2, R7.3, R7.6). They parse and
check what staff type; the services decide and check again.

The field schema (照面信息字段) is checked here in more depth than the
service's minimum (an object with ``properties``) because a schema that the
application forms' checker (``cases.forms.form_errors``) cannot read would
only show up later, when a certificate of the type is issued."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django import forms

from yiwang.domains.certificates.models import HolderKind, Status
from yiwang.domains.certificates.schemas import schema_problems

SCHEMA_EXAMPLE = (
    '{"type": "object", "properties": {"operator": {"type": "string", "title": "经营者名称"}, '
    '"area": {"type": "number", "title": "经营面积（平方米）"}}, "required": ["operator"]}'
)
_DATE = {"type": "date"}


def schema_from_text(text: str) -> dict[str, Any]:
    """The typed field schema as an object, or ValidationError in Chinese
    naming the place of the problem."""
    text = (text or "").strip()
    if not text:
        return {"type": "object", "properties": {}}
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as exc:
        raise forms.ValidationError(
            f"不是有效的 JSON：第{exc.lineno}行第{exc.colno}列附近有错误"
            "（请检查引号、逗号和括号是否成对，键名须用英文双引号）"
        ) from exc
    problems = schema_problems(schema)
    if problems:
        raise forms.ValidationError(problems)
    return schema


class TypeForm(forms.Form):
    """证照类型: create (``agencies`` given) or edit (code and definer fixed)."""

    defining_agency = forms.TypedChoiceField(label="维护单位", coerce=int)
    code_suffix = forms.CharField(
        label="类型代码后3位",
        max_length=3,
        help_text="证照类型代码 = 定义机构统一社会信用代码（18位）+ 3位数字（GB/T 36904）",
    )
    definer_code = forms.CharField(
        label="定义机构统一社会信用代码",
        max_length=18,
        required=False,
        help_text="由国家部委等外部机构统一定义时填写；留空则以维护单位为定义机构",
    )
    definer_name = forms.CharField(label="定义机构名称", max_length=128, required=False)
    name = forms.CharField(label="证照类型名称", max_length=100)
    holder_kind = forms.ChoiceField(label="持证主体类型", choices=HolderKind.choices)
    field_schema = forms.CharField(
        label="照面信息字段（JSON Schema）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "class": "mono"}),
        help_text=f"留空表示没有照面信息字段。示例：{SCHEMA_EXAMPLE}",
    )
    validity_years = forms.IntegerField(
        label="有效期（年）",
        required=False,
        min_value=1,
        max_value=100,
        help_text="自有效期起始日起算；留空表示长期有效",
        error_messages={"min_value": "有效期至少1年", "max_value": "有效期不超过100年"},
    )
    shared = forms.BooleanField(label="共享证照（列入共享证照目录）", required=False)
    number_prefix = forms.CharField(
        label="证照编号前缀", max_length=8, required=False, help_text="如 JY（食品经营许可证）"
    )
    description = forms.CharField(
        label="说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args: Any, agencies: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.creating = agencies is not None
        if self.creating:
            self.fields["defining_agency"].choices = [  # type: ignore[attr-defined]
                (a.pk, a.name) for a in agencies or []
            ]
            del self.fields["active"]
        else:
            for name in ("defining_agency", "code_suffix", "definer_code", "definer_name"):
                del self.fields[name]

    def clean_code_suffix(self) -> str:
        value = (self.cleaned_data.get("code_suffix") or "").strip()
        if not re.fullmatch(r"\d{3}", value):
            raise forms.ValidationError("类型代码后3位应为3位数字，如 001")
        return value

    def clean_field_schema(self) -> dict[str, Any]:
        return schema_from_text(self.cleaned_data.get("field_schema") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code, name = (data.get("definer_code") or "").strip(), (data.get("definer_name") or "")
        if self.creating and code and not name.strip():
            self.add_error("definer_name", "填写了定义机构代码时，请填写定义机构名称")
        return data


class EntryLinkForm(forms.Form):
    basic_code = forms.CharField(label="基本目录事项编码", max_length=32)


class SealForm(forms.Form):
    agency = forms.TypedChoiceField(label="用章机构", coerce=int)
    name = forms.CharField(
        label="印章名称", max_length=128, required=False, help_text="留空为“电子证照专用章”"
    )
    years = forms.IntegerField(
        label="有效期（年）",
        initial=5,
        min_value=1,
        max_value=10,
        error_messages={"min_value": "有效期至少1年", "max_value": "有效期不超过10年"},
    )

    def __init__(self, *args: Any, agencies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.pk, a.name) for a in agencies]  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写原因"},
    )


class StatusForm(ReasonForm):
    status = forms.ChoiceField(label="变更为")

    def __init__(self, *args: Any, targets: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, status_action_label(s)) for s in targets]  # type: ignore[attr-defined]
        self.order_fields(["status", "reason"])


def status_action_label(status: str) -> str:
    return "恢复有效" if status == Status.VALID else str(Status(status).label)


# --- the certificate's face, from its type's field schema -------------------------------


def _data_field(name: str, prop: dict[str, Any], required: bool) -> forms.Field:
    title = str(prop.get("title") or name)
    kind = prop.get("type", "string")
    messages = {"required": f"请填写“{title}”", "invalid": f"“{title}”格式不正确"}
    common: dict[str, Any] = {"label": title, "required": required, "error_messages": messages}
    if prop.get("enum"):
        choices = [("", "请选择")] if not required else []
        return forms.ChoiceField(
            choices=choices + [(str(v), str(v)) for v in prop["enum"]], **common
        )
    if kind == "integer":
        return forms.IntegerField(**common)
    if kind == "number":
        return forms.FloatField(**common)
    if kind == "boolean":
        return forms.BooleanField(label=title, required=False)
    if kind == "array":
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 2}), help_text="每行一项", **common
        )
    if prop.get("format") == "date":
        return forms.DateField(widget=forms.DateInput(attrs=_DATE), **common)
    return forms.CharField(max_length=prop.get("maxLength") or 500, **common)


def data_field_name(name: str) -> str:
    return f"f_{name}"


def add_data_fields(form: forms.Form, schema: dict[str, Any], initial: dict[str, Any]) -> None:
    props = (schema or {}).get("properties") or {}
    required = set((schema or {}).get("required") or [])
    for name, prop in props.items():
        key = data_field_name(name)
        form.fields[key] = _data_field(
            name, prop if isinstance(prop, dict) else {}, name in required
        )
        if name in initial:
            value = initial[name]
            form.initial[key] = "\n".join(map(str, value)) if isinstance(value, list) else value


def data_from(form: forms.Form, schema: dict[str, Any]) -> dict[str, Any]:
    """The face's values as the schema wants them (empty ones left out)."""
    props = (schema or {}).get("properties") or {}
    out: dict[str, Any] = {}
    for name, prop in props.items():
        value = form.cleaned_data.get(data_field_name(name))
        if value is None or value == "":
            continue
        kind = prop.get("type", "string") if isinstance(prop, dict) else "string"
        if kind == "array":
            value = [line.strip() for line in str(value).splitlines() if line.strip()]
            if not value:
                continue
        elif isinstance(value, dt.date):
            value = value.isoformat()
        out[name] = value
    return out


def data_aliases(schema: dict[str, Any]) -> dict[str, str]:
    """Service field names → form field names, for its error messages."""
    return {name: data_field_name(name) for name in ((schema or {}).get("properties") or {})}


class IssueForm(forms.Form):
    """手工签发: the holder, dates, number, then the type's face."""

    holder_name = forms.CharField(label="持证主体名称", max_length=200)
    holder_code = forms.CharField(label="持证主体代码", max_length=18)
    number = forms.CharField(
        label="证照编号", max_length=64, required=False, help_text="留空则由系统按规则编号"
    )
    issued_on = forms.DateField(
        label="颁证日期",
        required=False,
        widget=forms.DateInput(attrs=_DATE),
        help_text="留空为今天",
    )
    valid_from = forms.DateField(
        label="有效期起始",
        required=False,
        widget=forms.DateInput(attrs=_DATE),
        help_text="留空为颁证日期",
    )
    valid_to = forms.DateField(
        label="有效期截止",
        required=False,
        widget=forms.DateInput(attrs=_DATE),
        help_text="留空则按证照类型的有效期计算",
    )

    def __init__(self, *args: Any, ctype: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = ctype.holder_kind == HolderKind.PERSON
        self.fields["holder_name"].label = "持证人姓名" if person else "持证单位名称"
        self.fields["holder_code"].label = "公民身份号码" if person else "统一社会信用代码"
        add_data_fields(self, ctype.field_schema, {})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = data.get("valid_from") or data.get("issued_on")
        end = data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", "有效期截止日期早于起始日期")
        return data


class RenewForm(ReasonForm):
    """换发 / 变更: a new version; changed face values and holder name."""

    holder_name = forms.CharField(label="持证主体名称", max_length=200, required=False)
    valid_from = forms.DateField(
        label="新版有效期起始",
        required=False,
        widget=forms.DateInput(attrs=_DATE),
        help_text="留空为今天",
    )
    valid_to = forms.DateField(
        label="新版有效期截止",
        required=False,
        widget=forms.DateInput(attrs=_DATE),
        help_text="留空则按证照类型的有效期计算",
    )

    def __init__(self, *args: Any, cert: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = "换发或变更事由"
        self.fields["reason"].error_messages["required"] = "请填写换发或变更事由"
        self.initial.setdefault("holder_name", cert.holder_name)
        add_data_fields(self, cert.type.field_schema, cert.data or {})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", "有效期截止日期早于起始日期")
        return data
