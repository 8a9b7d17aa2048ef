"""Excel import and export of the catalogue: basic-catalogue entries and
implementation lists with their whole guides (R3.2, R3.3, R3.5).

The workbook layout and the cell checks live in the pure ``excel_layout``;
this module loads what the checks need from the database, applies a checked
workbook through the catalogue services — so an imported entry or item meets
the same validation, takes the same review path and leaves the same audit
entries as one typed in the console — and writes the published catalogue
back out in the same layout.

- ``catalog_workbook_import(dry_run=True)`` (预检) reports every problem,
  each with sheet, row, column and reason, and what would be created or
  updated; it rehearses the import through the services inside a transaction
  that is always rolled back, so nothing changes.
- ``catalog_workbook_import(dry_run=False)`` does the same and commits only
  when there is no problem at all: all or nothing.
- New and changed entries and items become draft versions that are submitted
  for review; they are published only when ``publish=True`` and the actor
  may review and publish them.
- ``catalog_workbook_export`` writes the published catalogue (or one
  division's subtree) so that importing it gives the same guides back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.db import IntegrityError, transaction
from django.db.models import Q

from yiwang.core.actors import Actor
from yiwang.core.audit import service_transaction
from yiwang.core.errors import DomainError, NotFound, ValidationFailed
from yiwang.domains.catalog import excel_layout as layout
from yiwang.domains.catalog.excel_layout import (
    CHILD_SHEETS,
    ENTRY_SHEET,
    ITEM_SHEET,
    SHEET_OF_LIST,
    SHEETS,
    CellError,
    EntryPlan,
    ItemPlan,
    Plan,
    RawWorkbook,
    Reference,
    make_error,
)
from yiwang.domains.catalog.models import (
    CatalogEntry,
    CatalogEntryVersion,
    ItemType,
    ItemVersion,
    Lifecycle,
    ServiceItem,
    Tag,
    Topic,
    VersionStatus,
)
from yiwang.domains.catalog.selectors import guide_doc_of, open_version, version_rows_prefetch
from yiwang.domains.catalog.services import (
    basic_code_pattern,
    catalog_entry_create,
    catalog_entry_revise,
    catalog_entry_version_legal_review,
    catalog_entry_version_publish,
    catalog_entry_version_review,
    catalog_entry_version_submit,
    catalog_entry_version_update,
    implementation_code_pattern,
    item_version_publish,
    item_version_review,
    item_version_revise,
    item_version_submit,
    item_version_update,
    service_item_create,
    service_item_set_classification,
    validate_guide,
)
from yiwang.domains.orgs.models import Agency, Division, Role
from yiwang.domains.orgs.policies import subtree_prefix

__all__ = [
    "MAX_UPLOAD_BYTES",
    "ImportReport",
    "catalog_workbook_export",
    "catalog_workbook_import",
    "catalog_workbook_template",
    "reference_for",
]

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
REVIEW_NOTE = "Excel 批量导入"
CONFLICT = "与已有数据冲突（可能是他人刚刚修改），请重试"
_EDITABLE = (VersionStatus.DRAFT, VersionStatus.REJECTED)
_OPEN_ENTRY = (
    VersionStatus.DRAFT,
    VersionStatus.SUBMITTED,
    VersionStatus.LEGAL_REVIEW,
    VersionStatus.APPROVED,
    VersionStatus.REJECTED,
)


# --- the report --------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do), and every problem.

    ``counts``: per sheet, how many records would be / were created, updated
    or left unchanged (child sheets: how many rows were read)."""

    dry_run: bool
    publish: bool
    applied: bool = False
    errors: list[CellError] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, sheet: str, what: str) -> int:
        return self.counts.get(sheet, {}).get(what, 0)

    def summary(self) -> str:
        parts = []
        for sheet in (ENTRY_SHEET, ITEM_SHEET):
            c = self.counts.get(sheet)
            if c:
                parts.append(
                    f"{sheet}：新增 {c.get('created', 0)}，修改 {c.get('updated', 0)}，"
                    f"未变 {c.get('unchanged', 0)}"
                )
        for sheet in CHILD_SHEETS:
            c = self.counts.get(sheet)
            if c and c.get("rows"):
                parts.append(f"{sheet} {c['rows']} 行")
        text = "；".join(parts) or "工作簿中没有数据行"
        if self.errors:
            return f"发现 {len(self.errors)} 个问题，未导入任何数据（其余各行：{text}）"
        if self.dry_run:
            return f"预检通过，可以导入。{text}"
        return f"导入完成。{text}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "publish": self.publish,
            "applied": self.applied,
            "errors": [e.as_dict() for e in self.errors],
            "counts": self.counts,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImportReport:
        return cls(
            dry_run=bool(data.get("dry_run")),
            publish=bool(data.get("publish")),
            applied=bool(data.get("applied")),
            errors=[
                make_error(e["sheet"], e["row"], e["letter"], e["header"], e["reason"])
                for e in data.get("errors", [])
            ],
            counts={k: dict(v) for k, v in (data.get("counts") or {}).items()},
        )


# --- the database as the checks see it --------------------------------------------------


def _entry_newest(entry: CatalogEntry) -> CatalogEntryVersion | None:
    """The version an import compares with: the open one, else the current."""
    open_v = entry.versions.filter(status__in=_OPEN_ENTRY).order_by("-number").first()
    if open_v is not None:
        return open_v
    if entry.current_id:
        return entry.current
    return entry.versions.order_by("-number").first()


def reference_for(raw: RawWorkbook, *, guides_for: Iterable[str] = ()) -> Reference:
    """The agencies, divisions, entries and items the workbook names, and the
    reference tables (item types, tags, topics, roles). ``guides_for``:
    implementation codes whose newest guide the completeness check needs."""
    m = layout.mentioned_codes(raw)
    ref = Reference(
        basic_code_pattern=basic_code_pattern().pattern,
        implementation_code_pattern=implementation_code_pattern().pattern,
    )
    for a in Agency.objects.filter(credit_code__in=m.credit_codes).select_related("division"):
        ref.agencies[a.credit_code] = layout.AgencyRef(a.pk, a.name, a.division.code)
    for code, name in Division.objects.filter(code__in=m.division_codes).values_list(
        "code", "name"
    ):
        ref.divisions[code] = name
    for t in ItemType.objects.all():
        item_type = layout.ItemTypeRef(t.code, t.name, t.is_power)
        ref.item_types[t.code] = item_type
        ref.item_types[t.name] = item_type
    entries = (
        CatalogEntry.objects.filter(basic_code__in=m.basic_codes)
        .select_related("owner", "current", "current__item_type")
        .prefetch_related("versions__item_type")
    )
    for e in entries:
        versions = sorted(e.versions.all(), key=lambda v: -v.number)
        newest = e.current or (versions[0] if versions else None)
        if newest is None:  # pragma: no cover - every entry has a version
            continue
        ref.entries[e.basic_code] = layout.EntryRef(
            basic_code=e.basic_code,
            name=newest.name,
            item_type_code=newest.item_type.code,
            is_power=newest.item_type.is_power,
            legal_basis=list(newest.legal_basis or []),
            owner_credit_code=e.owner.credit_code,
        )
    items = (
        ServiceItem.objects.filter(
            Q(implementation_code__in=m.implementation_codes)
            | Q(entry__basic_code__in=m.basic_codes, agency__credit_code__in=m.credit_codes)
        )
        .exclude(lifecycle=Lifecycle.CANCELLED)
        .select_related("entry", "agency", "division")
    )
    wanted = set(guides_for)
    for i in items:
        guide = None
        if i.implementation_code in wanted:
            newest_version = open_version(i) or i.current
            if newest_version is None:
                newest_version = i.versions.order_by("-number").first()
            if newest_version is not None:
                guide = dict(guide_doc_of(newest_version))
        ref.items[i.implementation_code] = layout.ItemRef(
            implementation_code=i.implementation_code,
            basic_code=i.entry.basic_code,
            credit_code=i.agency.credit_code,
            division_code=i.division.code,
            is_convenience=i.is_convenience,
            guide=guide,
        )
    for code, name in Tag.objects.values_list("code", "name"):
        ref.tags[code] = code
        ref.tags[name] = code
    names: dict[str, list[str]] = {}
    for code, name in Topic.objects.values_list("code", "name"):
        ref.topics[code] = code
        names.setdefault(name, []).append(code)
    for name, codes in names.items():
        ref.topics.setdefault(name, codes[0] if len(codes) == 1 else "")
    for code, name in Role.objects.values_list("code", "name"):
        ref.roles[code] = code
        ref.roles.setdefault(name, code)
    return ref


def _check(raw: RawWorkbook) -> tuple[Plan, Reference]:
    """The pure checks against the database; a second pass loads the guides
    of items the workbook changes only in part, for their completeness."""
    ref = reference_for(raw)
    plan = layout.check_workbook(raw, ref)
    partial = [i.implementation_code for i in plan.items if not i.in_sheet]
    if partial:
        ref = reference_for(raw, guides_for=partial)
        plan = layout.check_workbook(raw, ref)
    return plan, ref


# --- mapping service errors back to cells ------------------------------------------------

_ENTRY_FIELDS = {
    "basic_code": "basic_code",
    "name": "name",
    "item_type_code": "item_type",
    "legal_basis": "legal_basis",
    "exercise_levels": "exercise_levels",
    "owner": "owner",
    "parent": "parent",
    "reason": "reason",
}
_ITEM_FIELDS = {
    "implementation_code": "implementation_code",
    "agency": "agency",
    "division": "division",
    "entry": "basic_code",
    "is_convenience": "is_convenience",
    "tags": "tags",
    "topics": "topics",
    "reason": "reason",
    "fees": "charges_fee",
    **{k: k for k in layout.GUIDE_SCALAR_KEYS},
}
_LIST_FIELD = re.compile(r"^(?P<list>[a-z]+)\[(?P<index>\d+)\](?:\.(?P<key>[a-z_]+))?$")


class _Cells:
    """Where a problem found by a service goes in the workbook."""

    def __init__(self, raw: RawWorkbook) -> None:
        self.raw = raw
        self.errors: list[CellError] = []

    def add(self, sheet: str, row: int, key: str, reason: str) -> None:
        rs = self.raw.sheets.get(sheet)
        letter, header = "", ""
        if rs is not None and key:
            letter = rs.letter(key)
            try:
                header = rs.sheet.column(key).header
            except KeyError:
                header = ""
        self.errors.append(make_error(sheet, row, letter, header, reason))

    def entry_error(self, plan: EntryPlan, exc: DomainError) -> None:
        if not exc.fields:
            self.add(ENTRY_SHEET, plan.row, "", exc.message)
            return
        for name, reason in exc.fields.items():
            self.add(ENTRY_SHEET, plan.row, _ENTRY_FIELDS.get(name, ""), reason)

    def item_error(self, plan: ItemPlan, exc: DomainError) -> None:
        fields = dict(exc.fields)
        if not fields or getattr(exc, "missing", None):
            self.add(plan.sheet, plan.row, "", exc.message)
            return
        for name, reason in fields.items():
            self.item_field(plan, name, reason)

    def item_field(self, plan: ItemPlan, name: str, reason: str) -> None:
        match = _LIST_FIELD.match(name)
        if match is not None and match["list"] in SHEET_OF_LIST:
            rows = plan.child_rows.get(match["list"], [])
            index = int(match["index"])
            if index < len(rows):
                self.add(SHEET_OF_LIST[match["list"]], rows[index], match["key"] or "", reason)
                return
        if name in SHEET_OF_LIST and plan.child_rows.get(name):
            self.add(SHEET_OF_LIST[name], plan.child_rows[name][0], "", reason)
            return
        key = _ITEM_FIELDS.get(name, "")
        if plan.in_sheet:
            self.add(ITEM_SHEET, plan.row, key, reason)
        else:
            self.add(plan.sheet, plan.row, "", reason)


def _guide_errors(plan: Plan, ref: Reference, cells: _Cells, bad: set[tuple[str, int]]) -> None:
    """The services' own guide validation on every item, before anything is
    written, so a dry run names every guide problem (not only the first
    item's)."""
    for item in plan.items:
        if _item_has_bad_rows(item, bad):
            continue
        base: Mapping[str, Any] | None = None
        if not item.in_sheet:
            known = ref.items.get(item.implementation_code)
            base = known.guide if known is not None else None
        try:
            validate_guide(item.guide, base=base)
        except ValidationFailed as exc:
            for name, reason in exc.fields.items():
                cells.item_field(item, name, reason)


# --- applying ---------------------------------------------------------------------------


def _item_has_bad_rows(item: ItemPlan, bad: set[tuple[str, int]]) -> bool:
    if (item.sheet, item.row) in bad:
        return True
    return any(
        (SHEET_OF_LIST[key], row) in bad for key, rows in item.child_rows.items() for row in rows
    )


def _normal_basis(basis: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    return [
        {k: str(b.get(k) or "").strip() for k in ("title", "article", "text", "url")}
        for b in basis or []
    ]


def _entry_values(v: CatalogEntryVersion) -> dict[str, Any]:
    return {
        "name": v.name,
        "item_type_code": v.item_type.code,
        "legal_basis": _normal_basis(v.legal_basis),
        "exercise_levels": list(v.exercise_levels or []),
    }


def _normal_guide(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A guide in one shape for comparing: materials without a variant have
    no ``variant`` key, texts stripped."""
    out: dict[str, Any] = {}
    for key, value in doc.items():
        if key == "materials":
            rows = []
            for m in value or []:
                row = {k: (v.strip() if isinstance(v, str) else v) for k, v in m.items()}
                if not row.get("variant"):
                    row.pop("variant", None)
                rows.append(row)
            out[key] = rows
        elif isinstance(value, str):
            out[key] = value.strip()
        elif isinstance(value, list):
            out[key] = [
                {k: (v.strip() if isinstance(v, str) else v) for k, v in r.items()}
                if isinstance(r, Mapping)
                else r
                for r in value
            ]
        else:
            out[key] = value
    return out


class _Applier:
    def __init__(
        self,
        plan: Plan,
        raw: RawWorkbook,
        cells: _Cells,
        *,
        actor: Actor,
        publish: bool,
        bad: set[tuple[str, int]],
        on_row: Callable[[str, int], None] | None = None,
    ) -> None:
        self.plan = plan
        self.raw = raw
        self.cells = cells
        self.actor = actor
        self.publish = publish
        self.bad = bad
        self.on_row = on_row
        self.entries: dict[str, CatalogEntry] = {}
        self.skipped_entries: set[str] = set()
        self.counts: dict[str, dict[str, int]] = {
            ENTRY_SHEET: {"created": 0, "updated": 0, "unchanged": 0},
            ITEM_SHEET: {"created": 0, "updated": 0, "unchanged": 0},
        }
        for sheet in CHILD_SHEETS:
            self.counts[sheet] = {"rows": plan.row_counts.get(sheet, 0)}
        self._agencies: dict[str, Agency] = {}
        self._divisions: dict[str, Division] = {}

    # -- lookups

    def agency(self, credit_code: str) -> Agency:
        if credit_code not in self._agencies:
            self._agencies[credit_code] = Agency.objects.select_related("division").get(
                credit_code=credit_code
            )
        return self._agencies[credit_code]

    def division(self, code: str) -> Division:
        if code not in self._divisions:
            self._divisions[code] = Division.objects.get(code=code)
        return self._divisions[code]

    def entry(self, basic_code: str) -> CatalogEntry:
        if basic_code not in self.entries:
            self.entries[basic_code] = CatalogEntry.objects.get(basic_code=basic_code)
        return self.entries[basic_code]

    # -- entries

    def run(self) -> None:
        ordered = sorted(self.plan.entries, key=lambda e: (bool(e.parent_code), e.row))
        for ep in ordered:
            if (ENTRY_SHEET, ep.row) in self.bad or ep.parent_code in self.skipped_entries:
                self.skipped_entries.add(ep.basic_code)
                continue
            if self.on_row is not None:
                self.on_row(ENTRY_SHEET, ep.row)
            try:
                with service_transaction():
                    outcome = self._entry(ep)
            except DomainError as exc:
                self.cells.entry_error(ep, exc)
                self.skipped_entries.add(ep.basic_code)
                self.entries.pop(ep.basic_code, None)
            except IntegrityError:
                self.cells.add(ENTRY_SHEET, ep.row, "", CONFLICT)
                self.skipped_entries.add(ep.basic_code)
                self.entries.pop(ep.basic_code, None)
            else:
                self.counts[ENTRY_SHEET][outcome] += 1
        for ip in self.plan.items:
            if _item_has_bad_rows(ip, self.bad) or ip.basic_code in self.skipped_entries:
                continue
            if self.on_row is not None:
                self.on_row(ip.sheet, ip.row)
            try:
                with service_transaction():
                    outcome = self._item(ip)
            except DomainError as exc:
                self.cells.item_error(ip, exc)
            except IntegrityError:
                self.cells.add(ip.sheet, ip.row, "", CONFLICT)
            else:
                self.counts[ITEM_SHEET][outcome] += 1

    def _entry(self, ep: EntryPlan) -> str:
        actor = self.actor
        values: dict[str, Any] = {
            "name": ep.name,
            "item_type_code": ep.item_type_code,
            "legal_basis": ep.legal_basis,
            "exercise_levels": ep.exercise_levels,
        }
        version: CatalogEntryVersion | None
        if not ep.exists:
            parent = self.entry(ep.parent_code) if ep.parent_code else None
            version = catalog_entry_create(
                actor=actor,
                basic_code=ep.basic_code,
                owner=self.agency(ep.owner_credit_code),
                parent=parent,
                reason=ep.reason,
                **values,
            )
            self.entries[ep.basic_code] = version.entry
            outcome = "created"
        else:
            entry = CatalogEntry.objects.select_related("parent", "current__item_type").get(
                basic_code=ep.basic_code
            )
            self.entries[ep.basic_code] = entry
            current_parent = entry.parent.basic_code if entry.parent else ""
            if current_parent != ep.parent_code:
                raise ValidationFailed(
                    fields={
                        "parent": f"事项库中该事项的主项是“{current_parent or '无'}”，"
                        "导入不能变更主项"
                    }
                )
            newest = _entry_newest(entry)
            assert newest is not None
            wanted = {**values, "legal_basis": _normal_basis(ep.legal_basis)}
            if _entry_values(newest) == wanted:
                return "unchanged"
            if newest.status in _EDITABLE:
                version = catalog_entry_version_update(
                    actor=actor, version=newest, reason=ep.reason or None, **values
                )
            else:
                if not ep.reason and newest.status == VersionStatus.PUBLISHED:
                    raise ValidationFailed(
                        fields={"reason": "修改事项库中已发布的事项须填写变更理由（书面申请）"}
                    )
                version = catalog_entry_revise(actor=actor, entry=entry, reason=ep.reason, **values)
            outcome = "updated"
        version = catalog_entry_version_submit(actor=actor, version=version)
        if self.publish:
            version = catalog_entry_version_review(
                actor=actor, version=version, approve=True, note=REVIEW_NOTE
            )
            version = catalog_entry_version_legal_review(
                actor=actor, version=version, approve=True, note=REVIEW_NOTE
            )
            catalog_entry_version_publish(actor=actor, version=version)
        return outcome

    # -- items

    def _item(self, ip: ItemPlan) -> str:
        actor = self.actor
        version: ItemVersion | None = None
        if not ip.exists:
            version = service_item_create(
                actor=actor,
                entry=self.entry(ip.basic_code),
                agency=self.agency(ip.credit_code),
                division=self.division(ip.division_code),
                guide=ip.guide,  # type: ignore[arg-type]
                implementation_code=ip.implementation_code or None,
                is_convenience=ip.is_convenience,
                tags=ip.tags or (),
                topics=ip.topics or (),
            )
            outcome = "created"
        else:
            item = ServiceItem.objects.select_related("current").get(
                implementation_code=ip.implementation_code
            )
            changed_classification = False
            if ip.in_sheet:
                if item.is_convenience != ip.is_convenience:
                    raise ValidationFailed(
                        fields={"is_convenience": "便民服务事项属性不能通过导入变更"}
                    )
                have = (
                    sorted(item.tags.values_list("code", flat=True)),
                    sorted(item.topics.values_list("code", flat=True)),
                )
                if have != (sorted(ip.tags or []), sorted(ip.topics or [])):
                    service_item_set_classification(
                        actor=actor, item=item, tags=ip.tags or [], topics=ip.topics or []
                    )
                    changed_classification = True
            pending = open_version(item)
            newest = pending or item.current
            if newest is None:  # pragma: no cover - every item has a version
                raise ValidationFailed(f"{ip.implementation_code} 没有版本")
            current_doc = dict(guide_doc_of(newest))
            base = _normal_guide(current_doc)
            clean = _normal_guide(validate_guide(ip.guide, base=current_doc))
            changed = {k: ip.guide[k] for k in clean if clean[k] != base.get(k)}
            if not changed:
                return "updated" if changed_classification else "unchanged"
            if pending is not None and pending.status in _EDITABLE:
                draft = pending
            else:
                if not ip.reason and pending is None:
                    raise ValidationFailed(fields={"reason": "修改已发布的事项须填写变更理由"})
                draft = item_version_revise(actor=actor, item=item, reason=ip.reason)
            version = item_version_update(
                actor=actor,
                version=draft,
                guide=changed,  # type: ignore[arg-type]
            )
            outcome = "updated"
        version = item_version_submit(actor=actor, version=version)
        if self.publish:
            version = item_version_review(
                actor=actor, version=version, approve=True, note=REVIEW_NOTE
            )
            item_version_publish(actor=actor, version=version)
        return outcome


# --- the import ------------------------------------------------------------------------


def catalog_workbook_import(
    *,
    actor: Actor,
    data: bytes | BinaryIO,
    dry_run: bool = True,
    publish: bool = False,
    on_row: Callable[[str, int], None] | None = None,
) -> ImportReport:
    """Check a workbook and (unless ``dry_run``) import it, all or nothing.

    Every problem is reported — cell errors, missing guide elements, and what
    the services refuse (permissions, codes taken, versions under review) —
    each at its sheet, row and column. The import runs through the services
    in one transaction; a dry run, or any problem, rolls it all back, so the
    database (every catalogue table and the audit log) is exactly as before.
    ``publish``: also review and publish what is imported, which needs the
    actor's review, legal-review and publish permissions. ``on_row`` is told
    each record as it is applied (progress)."""
    report = ImportReport(dry_run=dry_run, publish=publish)
    raw = layout.read_workbook(data)
    if raw.errors and not raw.sheets:
        report.errors = list(raw.errors)
        return report
    plan, ref = _check(raw)
    cells = _Cells(raw)
    bad = {(e.sheet, e.row) for e in plan.errors}
    _guide_errors(plan, ref, cells, bad)
    bad |= {(e.sheet, e.row) for e in cells.errors}
    with service_transaction():
        applier = _Applier(plan, raw, cells, actor=actor, publish=publish, bad=bad, on_row=on_row)
        applier.run()
        report.counts = applier.counts
        report.errors = sorted(set(plan.errors) | set(cells.errors), key=layout._error_order)
        if dry_run or report.errors:
            transaction.set_rollback(True)
        else:
            report.applied = True
    return report


# --- the export ------------------------------------------------------------------------


def _entry_record(entry: CatalogEntry, version: CatalogEntryVersion) -> dict[str, Any]:
    return {
        "basic_code": entry.basic_code,
        "name": version.name,
        "item_type": version.item_type.name,
        "legal_basis": version.legal_basis,
        "exercise_levels": version.exercise_levels,
        "owner": entry.owner.credit_code,
        "parent": entry.parent.basic_code if entry.parent_id else "",  # type: ignore[union-attr]
    }


def _role_names() -> dict[str, str]:
    names: dict[str, list[str]] = {}
    for code, name in Role.objects.values_list("code", "name"):
        names.setdefault(name, []).append(code)
    # A name shared by two roles would not read back: write the code then.
    return {codes[0]: name for name, codes in names.items() if len(codes) == 1}


def catalog_workbook_records(
    *, division_code: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The published catalogue as records per sheet (keyed by column key):
    listed items (active or suspended) with their current version, and the
    entries they implement (with their main items), or, for the whole
    catalogue, every published entry."""
    items = (
        ServiceItem.objects.filter(
            lifecycle__in=(Lifecycle.ACTIVE, Lifecycle.SUSPENDED),
            current__status=VersionStatus.PUBLISHED,
        )
        .select_related("entry", "agency", "division", "current__entry_version")
        .prefetch_related("tags", "topics")
        .order_by("implementation_code")
    )
    entry_filter = Q(current__status=VersionStatus.PUBLISHED) & ~Q(lifecycle=Lifecycle.CANCELLED)
    if division_code:
        division = Division.objects.filter(code=division_code).first()
        if division is None:
            raise NotFound(f"行政区划 {division_code} 不存在", code="division_not_found")
        prefix = subtree_prefix(division.code)
        items = items.filter(division__code__startswith=prefix)
        entry_filter &= Q(items__in=items) | Q(owner__division__code__startswith=prefix)
    entries = list(
        CatalogEntry.objects.filter(entry_filter)
        .distinct()
        .select_related("owner", "parent", "current__item_type")
    )
    seen = {e.pk for e in entries}
    parents = [e.parent for e in entries if e.parent_id and e.parent_id not in seen]
    for p in parents:
        if p is not None and p.pk not in seen and p.current_id:
            seen.add(p.pk)
            entries.append(
                CatalogEntry.objects.select_related("owner", "parent", "current__item_type").get(
                    pk=p.pk
                )
            )
    entries.sort(key=lambda e: (e.parent_id is not None, e.basic_code))
    records: dict[str, list[dict[str, Any]]] = {s.name: [] for s in SHEETS}
    records[ENTRY_SHEET] = [_entry_record(e, e.current) for e in entries if e.current]
    roles = _role_names()
    item_list = list(items)
    versions = {
        v.pk: v
        for v in ItemVersion.objects.filter(
            pk__in=[i.current_id for i in item_list]
        ).prefetch_related(*version_rows_prefetch())
    }
    for item in item_list:
        version = versions.get(item.current_id)  # type: ignore[arg-type]
        if version is None:  # pragma: no cover - filtered on current above
            continue
        doc: dict[str, Any] = dict(guide_doc_of(version))
        parts = layout.item_records(
            {
                "implementation_code": item.implementation_code,
                "basic_code": item.entry.basic_code,
                "agency": item.agency.credit_code,
            },
            doc,
            fields={
                "name": item.current.entry_version.name,  # type: ignore[union-attr]
                "division": item.division.code,
                "is_convenience": item.is_convenience,
                "tags": [t.name for t in item.tags.all()],
                "topics": [t.name for t in item.topics.all()],
            },
            role_names=roles,
        )
        for sheet, rows in parts.items():
            records[sheet].extend(rows)
    return records


def catalog_workbook_export(
    *, division_code: str | None = None, stream: BinaryIO | None = None
) -> bytes:
    """The published catalogue (or one division's subtree) as a workbook in
    the import layout; importing it into a database with the same
    organisations gives the same guides (``guide_doc_of``) back. Public
    information: anyone who may see the portal may have it."""
    return layout.write_workbook(
        catalog_workbook_records(division_code=division_code), stream=stream
    )


def catalog_workbook_template() -> bytes:
    """An empty workbook in the import layout, with the 填表说明 sheet."""
    return layout.write_workbook({})
