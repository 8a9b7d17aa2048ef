"""Load the demo catalogue of 无锡市 through the catalogue services (R3, R6.5).

Everything goes through the real path as the platform itself (SYSTEM), so
each row is validated and audited exactly as an editor's would be:

- catalogue entries: create → submit → centre review → legal review → publish;
- service items: create → submit → review → publish, then the special-service
  tags and topics (service_item_set_classification);
- one item suspended for an R4.3 reason (a periodic item off-cycle);
- three bundles (一件事).

Loading is idempotent: an entry (by basic code), an item (by entry, agency
and division), a topic or bundle (by code) that exists is left alone, so a
second call creates nothing and appends no audit entries. The content lives
in yiwang.demo.catalog_data.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import transaction

from yiwang.core.actors import SYSTEM
from yiwang.core.checkdigits import make_credit_code
from yiwang.demo import catalog_data as data
from yiwang.demo.city import AGENCIES, HALLS, load_city
from yiwang.domains.catalog.models import (
    Bundle,
    CatalogEntry,
    Lifecycle,
    ServiceItem,
    Topic,
    VersionStatus,
)
from yiwang.domains.catalog.services import (
    bundle_create,
    catalog_entry_create,
    catalog_entry_version_legal_review,
    catalog_entry_version_publish,
    catalog_entry_version_review,
    catalog_entry_version_submit,
    item_types_sync_defaults,
    item_version_publish,
    item_version_review,
    item_version_submit,
    service_item_create,
    service_item_set_classification,
    service_item_suspend,
    tags_sync_defaults,
    topic_create,
)
from yiwang.domains.orgs.models import Agency, AgencyKind, Division, Hall, Window
from yiwang.domains.orgs.services import agency_create

REASON = "演示数据：按江苏省政务服务事项基本目录编制"
APPROVED = "演示数据：审核通过"


def _city_credit_codes() -> dict[str, str]:
    """The credit code of each demo-city agency, computed as load_city does."""
    codes: dict[str, str] = {}
    for key, _name, _short, kind, div_code, serial, _parent in AGENCIES:
        authority, body = ("9", "1") if kind == AgencyKind.ENTERPRISE else ("1", "1")
        if kind == AgencyKind.DELEGATED:
            body = "2"
        codes[key] = make_credit_code(authority, body, div_code[:6], serial)
    return codes


def _agencies(created: Counter[str], divisions: dict[str, Division]) -> dict[str, Agency]:
    codes = _city_credit_codes()
    extra = {
        key: (make_credit_code(auth, body, div[:6], serial), name, short, kind, div)
        for key, name, short, kind, div, auth, body, serial in data.SUPPLEMENTARY_AGENCIES
    }
    codes.update({key: spec[0] for key, spec in extra.items()})
    by_code = {a.credit_code: a for a in Agency.objects.filter(credit_code__in=codes.values())}
    agencies: dict[str, Agency] = {}
    for key, code in codes.items():
        agency = by_code.get(code)
        if agency is None and key in extra:
            _code, name, short, kind, div = extra[key]
            agency = agency_create(
                actor=SYSTEM,
                name=name,
                short_name=short,
                kind=kind,
                credit_code=code,
                division=divisions[div],
                phone="12345",
            )
            created["agencies"] += 1
        if agency is not None:
            agencies[key] = agency
    return agencies


def _windows(agencies: dict[str, Agency]) -> dict[tuple[str, str], tuple[int, set[int]]]:
    """(hall key, window number) → (window id, ids of the agencies it serves)."""
    keys = {(div, name): key for key, _c, div, name, *_rest in HALLS}
    halls = {
        keys[(h.division.code, h.name)]: h.pk
        for h in Hall.objects.select_related("division")
        if (h.division.code, h.name) in keys
    }
    by_hall = {pk: key for key, pk in halls.items()}
    out: dict[tuple[str, str], tuple[int, set[int]]] = {}
    for w in Window.objects.filter(hall_id__in=by_hall).prefetch_related("agencies"):
        out[(by_hall[w.hall_id], w.number)] = (w.pk, {a.pk for a in w.agencies.all()})
    return out


def _topics(created: Counter[str]) -> None:
    have = set(Topic.objects.values_list("code", flat=True))
    for kind, code, name, audience, order in data.TOPICS:
        if code in have:
            continue
        topic_create(actor=SYSTEM, kind=kind, code=code, name=name, audience=audience, order=order)
        created["topics"] += 1


def _entries(created: Counter[str], agencies: dict[str, Agency]) -> dict[str, CatalogEntry]:
    have = {
        e.basic_code: e
        for e in CatalogEntry.objects.filter(basic_code__in=[s["basic_code"] for s in data.ENTRIES])
    }
    entries: dict[str, CatalogEntry] = {}
    for spec in data.ENTRIES:
        entry = have.get(spec["basic_code"])
        if entry is None:
            version = catalog_entry_create(
                actor=SYSTEM,
                basic_code=spec["basic_code"],
                owner=agencies[spec["owner"]],
                name=spec["name"],
                item_type_code=spec["item_type"],
                legal_basis=spec["legal_basis"],
                exercise_levels=spec["levels"],
                parent=entries[spec["parent"]] if spec.get("parent") else None,
                reason=REASON,
            )
            version = catalog_entry_version_submit(actor=SYSTEM, version=version)
            version = catalog_entry_version_review(
                actor=SYSTEM, version=version, approve=True, note=APPROVED
            )
            version = catalog_entry_version_legal_review(
                actor=SYSTEM, version=version, approve=True, note="演示数据：设定依据合法有效"
            )
            catalog_entry_version_publish(actor=SYSTEM, version=version)
            entry = version.entry
            created["entries"] += 1
        entries[spec["key"]] = entry
    return entries


def _items(
    created: Counter[str],
    agencies: dict[str, Agency],
    divisions: dict[str, Division],
    entries: dict[str, CatalogEntry],
) -> dict[tuple[str, str], ServiceItem]:
    """Create the missing implementations; return all of them by
    (entry key, division code)."""
    have = {
        (i.entry_id, i.agency_id, i.division_id): i
        for i in ServiceItem.objects.filter(entry__in=entries.values()).exclude(
            lifecycle=Lifecycle.CANCELLED
        )
    }
    windows = _windows(agencies)
    items: dict[tuple[str, str], ServiceItem] = {}
    for spec, place in data.implementations():
        entry = entries[spec["key"]]
        agency = agencies[place["agency"]]
        division = divisions[place["division"]]
        item = have.get((entry.pk, agency.pk, division.pk))
        if item is None:
            guide = data.guide_for(spec, place)
            guide["window_ids"] = [
                windows[(place["hall"], n)][0]
                for n in place["windows"]
                if agency.pk in windows.get((place["hall"], n), (0, set()))[1]
            ]
            version = service_item_create(
                actor=SYSTEM,
                entry=entry,
                agency=agency,
                division=division,
                guide=guide,  # type: ignore[arg-type]
                is_convenience=bool(spec.get("convenience")),
            )
            version = item_version_submit(actor=SYSTEM, version=version)
            version = item_version_review(
                actor=SYSTEM, version=version, approve=True, note=APPROVED
            )
            version = item_version_publish(actor=SYSTEM, version=version)
            item = service_item_set_classification(
                actor=SYSTEM,
                item=version.item,
                tags=spec.get("tags", []),
                topics=spec.get("topics", []),
            )
            if spec["key"] in data.SUSPENDED:
                reason, note = data.SUSPENDED[spec["key"]]
                item = service_item_suspend(actor=SYSTEM, item=item, reason=reason, note=note)
                created["suspended"] += 1
            created["items"] += 1
        items[(spec["key"], place["division"])] = item
    return items


def _bundles(
    created: Counter[str],
    agencies: dict[str, Agency],
    divisions: dict[str, Division],
    items: dict[tuple[str, str], ServiceItem],
) -> None:
    have = set(Bundle.objects.values_list("code", flat=True))
    for spec in data.BUNDLES:
        if spec["code"] in have:
            continue
        bundle_create(
            actor=SYSTEM,
            code=spec["code"],
            name=spec["name"],
            division=divisions[spec["division"]],
            lead_agency=agencies[spec["lead"]],
            audience=spec["audience"],
            items=[items[m] for m in spec["members"]],
            description=spec["description"],
            promised_limit=spec["promised_limit"],
        )
        created["bundles"] += 1


@transaction.atomic
def load_catalog() -> dict[str, Any]:
    """Create what is missing of the demo catalogue (loading the demo city
    first, so it can run alone); return what was created and what there is."""
    load_city()
    created: Counter[str] = Counter()
    created["item_types"] += item_types_sync_defaults(actor=SYSTEM)
    created["tags"] += tags_sync_defaults(actor=SYSTEM)
    divisions = {d.code: d for d in Division.objects.all()}
    agencies = _agencies(created, divisions)
    _topics(created)
    entries = _entries(created, agencies)
    items = _items(created, agencies, divisions, entries)
    _bundles(created, agencies, divisions, items)
    published = ServiceItem.objects.filter(
        entry__in=entries.values(), current__status=VersionStatus.PUBLISHED
    ).count()
    return {
        "created": {k: v for k, v in created.items() if v},
        "entries": len(entries),
        "items": len(items),
        "published": published,
        "bundles": Bundle.objects.filter(code__in=[b["code"] for b in data.BUNDLES]).count(),
    }
