"""Input forms of the power-list and sunshine-list pages. They check only the
shape of the input (and turn the one-row-per-line text areas into lists);
every rule is the services'."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms

from yiwang.domains.catalog.models import (
    PowerChangeReason,
    PowerCommentStatus,
    PowerType,
    SuspendReason,
)
from yiwang.domains.catalog.powerdoc import REASONS_BY_KIND, PowerDoc

SEP = "|"


def _blank(choices: Any) -> list[tuple[str, str]]:
    return [("", "请选择"), *list(choices)]


def _split(line: str, width: int) -> list[str]:
    """The columns of one line: missing ones empty, extra ones kept in the last."""
    parts = [p.strip() for p in line.replace("｜", SEP).split(SEP)]
    if len(parts) > width:
        parts = [*parts[: width - 1], SEP.join(parts[width - 1 :])]
    return parts + [""] * (width - len(parts))


def parse_basis(text: str) -> list[dict[str, str]]:
    rows = []
    for line in (text or "").splitlines():
        if line.strip():
            title, article, body = _split(line, 3)
            rows.append({"title": title.strip("《》"), "article": article, "text": body})
    return rows


def parse_steps(text: str) -> list[dict[str, str]]:
    rows = []
    for line in (text or "").splitlines():
        if line.strip():
            name, role, limit, desc = _split(line, 4)
            rows.append(
                {"name": name, "actor_role": role, "time_limit": limit, "description": desc}
            )
    return rows


def parse_duties(text: str) -> list[dict[str, str]]:
    rows = []
    for line in (text or "").splitlines():
        if line.strip():
            content, basis, accountability = _split(line, 3)
            rows.append({"content": content, "basis": basis, "accountability": accountability})
    return rows


def basis_text(rows: Sequence[dict[str, Any]]) -> str:
    return "\n".join(
        SEP.join([f"《{r.get('title', '')}》", r.get("article", ""), r.get("text", "")]).rstrip(SEP)
        for r in rows
    )


def steps_text(rows: Sequence[dict[str, Any]]) -> str:
    return "\n".join(
        SEP.join(
            [
                r.get("name", ""),
                r.get("actor_role", ""),
                r.get("time_limit", ""),
                r.get("description", ""),
            ]
        ).rstrip(SEP)
        for r in rows
    )


def duties_text(rows: Sequence[dict[str, Any]]) -> str:
    return "\n".join(
        SEP.join([r.get("content", ""), r.get("basis", ""), r.get("accountability", "")])
        for r in rows
    )


def reason_choices(kind: str) -> list[tuple[str, str]]:
    labels = dict(SuspendReason.choices if kind == "suspend" else PowerChangeReason.choices)
    return _blank((code, labels[code]) for code in REASONS_BY_KIND[kind] if code)


class _ReasonMixin(forms.Form):
    reason = forms.ChoiceField(label="事由", choices=())
    note = forms.CharField(
        label="说明",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="事由为“其他”时必填",
    )

    def set_kind(self, kind: str) -> None:
        if kind == "resume":
            del self.fields["reason"]
            self.fields["note"].label = "恢复理由"
            self.fields["note"].required = True
            self.fields["note"].help_text = ""
        else:
            cast(forms.ChoiceField, self.fields["reason"]).choices = reason_choices(kind)


class PowerDocForm(_ReasonMixin):
    """Adding a power or changing its elements: one box per element; basis,
    steps and duties one per line, columns separated by "|"."""

    code = forms.CharField(label="权力编码", max_length=40)
    agency = forms.TypedChoiceField(label="实施主体", coerce=int, choices=())
    name = forms.CharField(label="权力名称", max_length=200)
    power_type = forms.ChoiceField(label="权力类型", choices=_blank(PowerType.choices))
    basis = forms.CharField(
        label="实施依据",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一条：《法律法规名称》|条款|条文内容",
    )
    time_limit = forms.CharField(label="办理时限", max_length=200, required=False)
    supervision_method = forms.CharField(
        label="监督方式", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    secret = forms.BooleanField(label="涉密（涉密权力不予公开）", required=False)
    entry = forms.CharField(
        label="对应目录事项基本编码", max_length=32, required=False, help_text="无对应事项时留空"
    )
    steps = forms.CharField(
        label="运行流程（生成流程图）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每行一个环节，按顺序：环节名称|办理岗位|时限|说明",
    )
    duties = forms.CharField(
        label="责任事项",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每行一条：责任事项|依据|追责情形",
    )

    def __init__(
        self,
        *args: Any,
        kind: str = "add",
        agencies: Sequence[Any] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.set_kind(kind)
        if kind == "add":
            cast(forms.ChoiceField, self.fields["agency"]).choices = _blank(
                (a.pk, a.name) for a in agencies
            )
        else:
            del self.fields["code"]
            del self.fields["agency"]
        # The reason goes last, after the elements.
        for name in ("reason", "note"):
            self.fields[name] = self.fields.pop(name)

    def doc(self) -> PowerDoc:
        data = self.cleaned_data
        doc: PowerDoc = {
            "name": data["name"],
            "power_type": data["power_type"],
            "basis": parse_basis(data["basis"]),  # type: ignore[typeddict-item]
            "time_limit": data["time_limit"],
            "supervision_method": data["supervision_method"],
            "secret": bool(data["secret"]),
            "entry": data["entry"].strip(),
            "steps": parse_steps(data["steps"]),  # type: ignore[typeddict-item]
            "duties": parse_duties(data["duties"]),  # type: ignore[typeddict-item]
        }
        if "code" in data:
            doc["code"] = data["code"].strip()
        return doc

    @staticmethod
    def initial_from(doc: PowerDoc) -> dict[str, Any]:
        return {
            "name": doc.get("name", ""),
            "power_type": doc.get("power_type", ""),
            "basis": basis_text(doc.get("basis", [])),  # type: ignore[arg-type]
            "time_limit": doc.get("time_limit", ""),
            "supervision_method": doc.get("supervision_method", ""),
            "secret": doc.get("secret", False),
            "entry": doc.get("entry", ""),
            "steps": steps_text(doc.get("steps", [])),  # type: ignore[arg-type]
            "duties": duties_text(doc.get("duties", [])),  # type: ignore[arg-type]
        }


class SimpleRequestForm(_ReasonMixin):
    """Cancel, suspend or resume: a reason and a note."""

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_kind(kind)


class DelegateForm(_ReasonMixin):
    target = forms.TypedChoiceField(label="下放后的实施主体", coerce=int, choices=())

    def __init__(self, *args: Any, targets: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_kind("delegate")
        cast(forms.ChoiceField, self.fields["target"]).choices = _blank(
            (a.pk, f"{a.name}（{a.division.name}）") for a in targets
        )
        self.fields["reason"] = self.fields.pop("reason")
        self.fields["note"] = self.fields.pop("note")


class NoteForm(forms.Form):
    note = forms.CharField(label="意见", required=False, max_length=500)


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label="答复内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )


class CommentStatusForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "全部"), *PowerCommentStatus.choices])


class FundForm(forms.Form):
    year = forms.IntegerField(label="预算年度", min_value=2000, max_value=2100)
    agency = forms.TypedChoiceField(label="主管部门", coerce=int, choices=())
    project = forms.CharField(label="专项资金项目", max_length=200)
    budget = forms.DecimalField(label="预算金额（万元）", max_digits=14, decimal_places=2)
    management_rules = forms.CharField(
        label="管理办法", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    allocation = forms.CharField(
        label="分配情况", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    performance = forms.CharField(
        label="绩效情况", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, agencies: Sequence[Any] = (), edit: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if edit:
            del self.fields["agency"]
        else:
            cast(forms.ChoiceField, self.fields["agency"]).choices = _blank(
                (a.pk, a.name) for a in agencies
            )


class ReliefForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    agency = forms.TypedChoiceField(label="责任单位", coerce=int, choices=())
    division = forms.CharField(label="实施地区（区划代码）", max_length=12)
    project = forms.CharField(label="项目名称", max_length=200)
    content = forms.CharField(
        label="建设内容", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    beneficiaries = forms.IntegerField(label="受益人数", min_value=0)
    funds = forms.DecimalField(label="资金规模（万元）", max_digits=14, decimal_places=2)

    def __init__(self, *args: Any, agencies: Sequence[Any] = (), edit: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if edit:
            del self.fields["agency"]
        else:
            cast(forms.ChoiceField, self.fields["agency"]).choices = _blank(
                (a.pk, a.name) for a in agencies
            )
