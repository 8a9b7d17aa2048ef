"""Forms of the catalogue console: they parse input into the shapes the
services take (GuideDoc parts, codes, notes). Every rule stays in the services."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from yiwang.domains.catalog.models import (
    Audience,
    ItemVersion,
    LimitUnit,
    MaterialSpec,
    SuspendReason,
    Topic,
)
from yiwang.domains.catalog.services import DELIVERY_WAYS, RESULT_TYPES
from yiwang.domains.orgs.models import DivisionLevel

# (key, title, fields) of the scalar sections of a guide.
SCALAR_SECTIONS: list[tuple[str, str, list[str]]] = [
    (
        "basic",
        "基本信息",
        [
            "audience",
            "handling_kind",
            "power_source",
            "exercise_level",
            "entrusted_body",
            "co_agencies",
            "general_area",
            "quantity_limit",
        ],
    ),
    ("conditions", "受理条件与办理流程", ["acceptance_conditions", "process_description"]),
    (
        "limits",
        "办理时限",
        [
            "statutory_limit",
            "statutory_unit",
            "statutory_note",
            "promised_limit",
            "promised_unit",
            "promised_note",
        ],
    ),
    ("result", "收费、结果与送达", ["charges_fee", "result_name", "result_type", "delivery_ways"]),
    (
        "place",
        "办理地点、窗口与咨询投诉",
        ["address", "hours", "window_ids", "consult_phone", "complaint_phone"],
    ),
    (
        "online",
        "网上办理",
        [
            "online",
            "online_depth",
            "onsite_trips",
            "mobile_url",
            "appointment",
            "online_payment",
            "express_delivery",
            "enters_centre",
        ],
    ),
    ("rights", "权利义务与法律救济", ["rights_obligations", "legal_remedy"]),
    ("convenience", "便民服务内容", ["service_content", "management_requirements"]),
]
# (key, title) of the sections that are lists of rows.
LIST_SECTIONS: list[tuple[str, str]] = [
    ("variants", "办理项"),
    ("materials", "申请材料"),
    ("steps", "办理环节"),
    ("fees", "收费项目"),
    ("faqs", "常见问题"),
]
SECTION_TITLES = {k: t for k, t, _ in SCALAR_SECTIONS} | dict(LIST_SECTIONS)

_TEXTAREA = forms.Textarea(attrs={"rows": 4})
_ROWS3 = forms.Textarea(attrs={"rows": 3})
_ROWS2 = forms.Textarea(attrs={"rows": 2})


def _choices(form: forms.Form, name: str) -> Any:
    """A choice field of a form, to set its choices (typed loosely for mypy)."""
    return form.fields[name]


def _scalar_field(name: str, windows: list[Any]) -> forms.Field:
    if name == "delivery_ways":
        return forms.MultipleChoiceField(
            label="送达方式",
            required=False,
            choices=list(DELIVERY_WAYS.items()),
            widget=forms.CheckboxSelectMultiple,
        )
    if name == "result_type":
        return forms.ChoiceField(
            label="审批结果类型",
            required=False,
            choices=[("", "—")] + [(t, t) for t in RESULT_TYPES],
        )
    if name == "window_ids":
        return forms.TypedMultipleChoiceField(
            label="办理窗口",
            required=False,
            coerce=int,
            choices=[(w.pk, f"{w.hall.name} {w}") for w in windows],
            widget=forms.CheckboxSelectMultiple,
            help_text="" if windows else "本区划暂无可选窗口",
        )
    if name == "online_depth":
        return forms.TypedChoiceField(
            label="网上办理深度",
            coerce=int,
            choices=[
                (0, "0 不能网上办理"),
                (1, "1 网上咨询、下载表格"),
                (2, "2 网上预审"),
                (3, "3 网上受理，最多跑一次"),
                (4, "4 全程网办，零跑动"),
            ],
        )
    model_field: Any = ItemVersion._meta.get_field(name)
    if name == "exercise_level":
        return forms.ChoiceField(
            label=str(model_field.verbose_name),
            required=False,
            choices=[("", "—"), *DivisionLevel.choices],
        )
    extra: dict[str, Any] = {"assume_scheme": "https"} if name == "mobile_url" else {}
    field: forms.Field = model_field.formfield(**extra)
    if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea):
        field.widget = _TEXTAREA
    if isinstance(field, forms.IntegerField):
        field.min_value = None  # the service names negative values itself
        field.validators = []
        field.widget.attrs.pop("min", None)
    if name in ("audience", "handling_kind"):
        field.required = False
    return field


def section_form_class(key: str, windows: list[Any] | None = None) -> type[forms.Form]:
    fields = next(f for k, _, f in SCALAR_SECTIONS if k == key)
    attrs = {name: _scalar_field(name, windows or []) for name in fields}
    return type(f"{key.title()}SectionForm", (forms.Form,), attrs)


def section_data(form: forms.Form) -> dict[str, Any]:
    """The guide keys of a valid section form."""
    data = dict(form.cleaned_data)
    for key in ("audience", "handling_kind", "statutory_unit", "promised_unit"):
        if key in data and data[key] is None:
            data[key] = ""
    return data


# --- rows ----------------------------------------------------------------------------


class VariantRow(forms.Form):
    code = forms.CharField(label="办理项编码", max_length=48)
    name = forms.CharField(label="办理项名称", max_length=100)
    form_schema = forms.CharField(
        label="申请表结构（JSON Schema）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=(
            '如 {"type": "object", "properties": {"name": {"type": "string", "title": "姓名"}}}'
        ),
    )

    def clean_form_schema(self) -> dict[str, Any]:
        text = (self.cleaned_data.get("form_schema") or "").strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                f"不是有效的 JSON：第{exc.lineno}行第{exc.colno}列"
            ) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError("申请表结构应为 JSON 对象")
        return value


class MaterialRow(forms.Form):
    code = forms.CharField(label="材料编码", max_length=48)
    name = forms.CharField(label="材料名称", max_length=200)
    kind = forms.ChoiceField(label="材料类型", choices=MaterialSpec.Kind.choices)
    form = forms.ChoiceField(label="材料形式", choices=MaterialSpec.Form.choices)
    necessity = forms.ChoiceField(label="必要性", choices=MaterialSpec.Necessity.choices)
    copies = forms.IntegerField(label="份数", initial=1)
    source = forms.ChoiceField(label="来源渠道", choices=MaterialSpec.Source.choices)
    source_note = forms.CharField(label="来源渠道说明", required=False, max_length=200)
    page_format = forms.CharField(label="纸张规格", required=False, max_length=32)
    acceptance_standard = forms.CharField(label="受理标准", required=False, max_length=500)
    legal_basis = forms.CharField(label="设定依据", required=False, max_length=500)
    certificate_type_code = forms.CharField(label="对应证照类型", required=False, max_length=32)
    variant = forms.ChoiceField(label="所属办理项", required=False)
    filling_notes = forms.CharField(label="填报须知", required=False, widget=_ROWS2)

    def __init__(self, *args: Any, variants: list[tuple[str, str]] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        _choices(self, "variant").choices = [("", "全部办理项"), *(variants or [])]


class StepRow(forms.Form):
    code = forms.CharField(label="环节编码", max_length=32)
    name = forms.CharField(label="环节名称", max_length=64)
    role_code = forms.CharField(label="办理角色", max_length=32, required=False)
    time_limit = forms.IntegerField(label="环节时限", initial=0)
    time_unit = forms.ChoiceField(label="时限单位", choices=LimitUnit.choices)
    is_special = forms.BooleanField(label="特别程序（不计时）", required=False)
    description = forms.CharField(label="环节说明", required=False, max_length=500)


class FeeRow(forms.Form):
    name = forms.CharField(label="收费项目", max_length=200)
    standard = forms.CharField(label="收费标准", max_length=300)
    legal_basis = forms.CharField(label="收费依据", max_length=500)
    reducible = forms.BooleanField(label="允许减免", required=False)
    reduction_note = forms.CharField(label="减免说明", required=False, max_length=300)


class FaqRow(forms.Form):
    question = forms.CharField(label="问题", max_length=300)
    answer = forms.CharField(label="解答", widget=forms.Textarea(attrs={"rows": 2}))


ROW_FORMS: dict[str, type[forms.Form]] = {
    "variants": VariantRow,
    "materials": MaterialRow,
    "steps": StepRow,
    "fees": FeeRow,
    "faqs": FaqRow,
}


def rows_formset(key: str, *, data: Any = None, initial: Any = None, extra: int = 1, **kw: Any):
    formset_class = forms.formset_factory(
        ROW_FORMS[key], extra=extra, can_delete=True, can_order=True
    )
    return formset_class(data=data, initial=initial, prefix=key, form_kwargs=kw)


def rows_of(formset: Any) -> tuple[list[dict[str, Any]], list[int]]:
    """The rows a valid formset keeps, in the order asked for, with the index
    of the form each came from (to put a service's row errors back)."""
    kept: list[tuple[int, Any]] = []
    for index, form in enumerate(formset.forms):
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        kept.append((index, form))

    def order_key(pair: tuple[int, Any]) -> tuple[int, int]:
        index, form = pair
        order = form.cleaned_data.get("ORDER")
        return (order if order is not None else 10_000 + index, index)

    kept.sort(key=order_key)
    rows = []
    for _, form in kept:
        row = {k: v for k, v in form.cleaned_data.items() if k not in ("DELETE", "ORDER")}
        if "variant" in row and not row["variant"]:
            row.pop("variant")
        rows.append(row)
    return rows, [i for i, _ in kept]


# --- items, lifecycle, review ------------------------------------------------------------


class ItemNewForm(forms.Form):
    entry = forms.TypedChoiceField(label="基本目录事项", coerce=int)
    agency = forms.TypedChoiceField(label="实施机构", coerce=int)
    division = forms.TypedChoiceField(label="实施区划", coerce=int)
    implementation_code = forms.CharField(
        label="实施编码",
        required=False,
        max_length=40,
        help_text="留空则由实施机构统一社会信用代码、基本编码和序号自动生成",
    )
    is_convenience = forms.BooleanField(label="便民服务事项（适用简化指南）", required=False)

    def __init__(
        self,
        *args: Any,
        entries: list[Any],
        agencies: list[Any],
        divisions: list[Any],
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        _choices(self, "entry").choices = [
            (e.pk, f"{e.current.name}（{e.basic_code}，{e.current.item_type.name}）")
            for e in entries
        ]
        _choices(self, "agency").choices = [(a.pk, a.name) for a in agencies]
        _choices(self, "division").choices = [(d.pk, f"{d.name}（{d.code}）") for d in divisions]


class ReviseForm(forms.Form):
    reason = forms.CharField(
        label="变更理由", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    local_only = forms.BooleanField(
        label="仅变更个性化要素（办理地点、时间、窗口、咨询电话、承诺时限等，由本级中心审核）",
        required=False,
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label="审核意见（退回时必填）",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PublishForm(forms.Form):
    valid_from = forms.DateTimeField(
        label="生效时间（留空为立即生效）",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )


class SuspendForm(forms.Form):
    reason = forms.ChoiceField(label="暂停原因", choices=SuspendReason.choices)
    note = forms.CharField(
        label="暂停说明", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label="说明", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class CancelForm(forms.Form):
    note = forms.CharField(
        label="取消理由", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class ClassifyForm(forms.Form):
    tags = forms.MultipleChoiceField(
        label="特色服务清单", required=False, widget=forms.CheckboxSelectMultiple
    )
    topics = forms.MultipleChoiceField(
        label="主题分类", required=False, widget=forms.CheckboxSelectMultiple
    )
    audience = forms.ChoiceField(label="服务对象", choices=Audience.choices)

    def __init__(self, *args: Any, tags: list[Any], topics: list[Topic], **kw: Any) -> None:
        super().__init__(*args, **kw)
        _choices(self, "tags").choices = [(t.code, t.name) for t in tags]
        _choices(self, "topics").choices = [
            (t.code, f"{t.name}（{t.get_kind_display()}）") for t in topics
        ]


# --- catalogue entries --------------------------------------------------------------------


def _legal_basis_text(refs: list[dict[str, str]]) -> str:
    lines = []
    for r in refs or []:
        parts = [r.get("title", ""), r.get("article", "")]
        line = " | ".join(p for p in parts if p)
        if r.get("text"):
            line += f" | {r['text']}" if r.get("article") else f" |  | {r['text']}"
        lines.append(line)
    return "\n".join(lines)


class EntryForm(forms.Form):
    basic_code = forms.CharField(label="基本编码", max_length=32)
    name = forms.CharField(label="事项名称", max_length=200)
    item_type_code = forms.ChoiceField(label="事项类型")
    legal_basis = forms.CharField(
        label="设定依据",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一条：法律法规名称 | 条款 | 条款内容（后两项可省略）",
    )
    exercise_levels = forms.MultipleChoiceField(
        label="行使层级", choices=DivisionLevel.choices, widget=forms.CheckboxSelectMultiple
    )
    owner = forms.TypedChoiceField(label="编制部门", coerce=int)
    reason = forms.CharField(
        label="编制（变更）理由",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        item_types: list[Any],
        owners: list[Any] | None = None,
        editing: bool = False,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        _choices(self, "item_type_code").choices = [
            (t.code, f"{t.name}（{t.code}）") for t in item_types
        ]
        if editing:
            del self.fields["basic_code"]
            del self.fields["owner"]
        else:
            _choices(self, "owner").choices = [(a.pk, a.name) for a in owners or []]

    def clean_legal_basis(self) -> list[dict[str, str]]:
        refs = []
        for line in (self.cleaned_data.get("legal_basis") or "").splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            ref = {"title": parts[0]}
            if len(parts) > 1 and parts[1]:
                ref["article"] = parts[1]
            if len(parts) > 2 and parts[2]:
                ref["text"] = "|".join(parts[2:]).strip()
            refs.append(ref)
        return refs

    @staticmethod
    def initial_of(version: Any) -> dict[str, Any]:
        return {
            "name": version.name,
            "item_type_code": version.item_type.code,
            "legal_basis": _legal_basis_text(version.legal_basis),
            "exercise_levels": version.exercise_levels,
            "reason": version.change_reason,
        }
