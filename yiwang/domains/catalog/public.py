"""Public reads of the catalogue: what the portal and the public API show to
anyone, without a login (R3.4, R3.7, R6.5).

Only published, non-cancelled items appear in lists and searches; a suspended
item stays public and says why (R4.3). A cancelled item's old versions stay
readable by their number, so a case pinned to one still shows what its
applicant read (R3.5).

Search (the portal's search box): an item matches a word when its name
contains it, or its full pinyin contains it ("shipin"), or the word's letters
appear in order in its pinyin initials ("spxk" finds 食品经营许可, whose
initials are "spjyxk"). Several words must all match. Exact names rank first,
then names containing the query, then pinyin matches.

Each list is one query for its rows (plus the count a page needs); the guide
is read in a fixed number of queries whatever its size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Lookup,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from yiwang.core.errors import NotFound
from yiwang.domains.catalog.models import (
    Audience,
    Bundle,
    BundleMember,
    CatalogEntry,
    Faq,
    Fee,
    ItemVersion,
    Lifecycle,
    LimitUnit,
    MaterialSpec,
    ServiceItem,
    StepSpec,
    SuspendReason,
    Tag,
    Topic,
    Variant,
    VersionStatus,
)
from yiwang.domains.catalog.services import DELIVERY_WAYS
from yiwang.domains.orgs import policies
from yiwang.domains.orgs.models import Division, DivisionLevel, Role, Window

PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_QUERY = 64

# Versions the public may read: the current one and those it replaced.
PUBLIC_STATUSES = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)

ONLINE_DEPTHS: dict[int, str] = {
    0: "不支持网上办理",
    1: "一级：网上公开办事指南",
    2: "二级：网上下载表格",
    3: "三级：网上预审、在线申报",
    4: "四级：全程网上办理",
}

EXERCISE_LEVELS: dict[str, str] = {"national": "国家级", **dict(DivisionLevel.choices)}

_ASCII_WORD = re.compile(r"^[a-z0-9]+$")
_LETTERS = re.compile(r"^[a-z]+$")


class _Like(Lookup):
    """``field LIKE pattern``, the pattern given as is (for the in-order
    initials match). Registered on ``search_initials`` only."""

    lookup_name = "like"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs}", [*lhs_params, *rhs_params]


ServiceItem._meta.get_field("search_initials").register_lookup(_Like)


_LISTED = (Lifecycle.ACTIVE, Lifecycle.SUSPENDED)


def _public_item_q(prefix: str = "") -> Q:
    """Published, listed (active or suspended) items of an active catalogue
    entry; ``prefix`` reads it from a related model (``items__`` …)."""
    return Q(
        **{
            f"{prefix}current__isnull": False,
            f"{prefix}lifecycle__in": _LISTED,
            f"{prefix}entry__lifecycle": Lifecycle.ACTIVE,
        }
    )


def _public_items() -> QuerySet[ServiceItem]:
    return ServiceItem.objects.filter(_public_item_q())


def normalise_query(q: str | None) -> str:
    """The query as searched: trimmed, inner whitespace collapsed, at most 64
    characters."""
    return " ".join((q or "").split())[:MAX_QUERY]


def initials_pattern(word: str) -> str:
    """'spxk' → '%s%p%x%k%': the letters in order, anything between."""
    return "%" + "%".join(word) + "%"


def _word_q(word: str) -> Q:
    cond = Q(search_name__icontains=word)
    low = word.lower()
    if _ASCII_WORD.match(low):
        cond |= Q(search_pinyin__contains=low)
        if _LETTERS.match(low):
            cond |= Q(search_initials__like=initials_pattern(low))
    return cond


def search_q(q: str) -> Q:
    """The match condition of a (normalised) query: every word must match."""
    cond = Q()
    for word in q.split(" "):
        if word:
            cond &= _word_q(word)
    return cond


# --- search ------------------------------------------------------------------------


@dataclass
class ItemRow:
    """One line of a search result or list: enough to choose an item."""

    implementation_code: str
    name: str
    item_type: str
    agency_name: str
    division_name: str
    audience: str
    audience_name: str
    is_convenience: bool
    online_depth: int
    online_depth_name: str
    onsite_trips: int
    promised_limit: int | None
    promised_unit: str
    promised_unit_name: str
    lifecycle: str
    suspend_reason: str
    suspend_reason_name: str
    suspend_note: str
    tags: list[tuple[str, str]] = field(default_factory=list)

    @property
    def suspended(self) -> bool:
        return self.lifecycle == Lifecycle.SUSPENDED


_ROW_FIELDS = (
    "id",
    "implementation_code",
    "search_name",
    "audience",
    "is_convenience",
    "lifecycle",
    "suspend_reason",
    "suspend_note",
    "agency__name",
    "agency__short_name",
    "division__name",
    "current__entry_version__name",
    "current__entry_version__item_type__name",
    "current__online_depth",
    "current__onsite_trips",
    "current__promised_limit",
    "current__promised_unit",
)

_AUDIENCES = dict(Audience.choices)
_UNITS = dict(LimitUnit.choices)
_REASONS = dict(SuspendReason.choices)


def _row(v: dict[str, Any], tags: list[tuple[str, str]]) -> ItemRow:
    depth = v["current__online_depth"] or 0
    return ItemRow(
        implementation_code=v["implementation_code"],
        name=v["current__entry_version__name"] or v["search_name"],
        item_type=v["current__entry_version__item_type__name"] or "",
        agency_name=v["agency__short_name"] or v["agency__name"],
        division_name=v["division__name"],
        audience=v["audience"],
        audience_name=_AUDIENCES.get(v["audience"], v["audience"]),
        is_convenience=v["is_convenience"],
        online_depth=depth,
        online_depth_name=ONLINE_DEPTHS.get(depth, str(depth)),
        onsite_trips=v["current__onsite_trips"] or 0,
        promised_limit=v["current__promised_limit"],
        promised_unit=v["current__promised_unit"] or "",
        promised_unit_name=_UNITS.get(v["current__promised_unit"] or "", ""),
        lifecycle=v["lifecycle"],
        suspend_reason=v["suspend_reason"],
        suspend_reason_name=_REASONS.get(v["suspend_reason"], ""),
        suspend_note=v["suspend_note"],
        tags=tags,
    )


def _rows_page(qs: QuerySet[ServiceItem], page: Any, per_page: int) -> Page:
    """A page of ItemRows: the count, the rows (one joined query) and the
    tags of the rows on the page."""
    per_page = max(1, min(int(per_page or PER_PAGE), MAX_PER_PAGE))
    result = Paginator(qs.values(*_ROW_FIELDS), per_page).get_page(page)
    values = list(result.object_list)
    tags: dict[int, list[tuple[str, str]]] = {v["id"]: [] for v in values}
    if values:
        through = ServiceItem.tags.through.objects.filter(serviceitem_id__in=list(tags))
        for item_id, code, name in through.order_by("tag__order", "tag__code").values_list(
            "serviceitem_id", "tag__code", "tag__name"
        ):
            tags[item_id].append((code, name))
    result.object_list = [_row(v, tags[v["id"]]) for v in values]
    return result


def item_search(
    q: str | None = None,
    *,
    audience: str | None = None,
    topic_code: str | None = None,
    agency_id: int | None = None,
    division_code: str | None = None,
    tag_code: str | None = None,
    convenience: bool | None = None,
    page: Any = 1,
    per_page: int = PER_PAGE,
) -> Page:
    """A page of published, non-cancelled items as ``ItemRow``s (R3.4, R3.7).

    ``audience`` "person" or "entity" keeps the items serving that audience
    (items for both count for each); ``division_code`` includes the
    divisions below it. Three queries: the count, the rows, their tags.
    """
    qs = _public_items()
    text = normalise_query(q)
    if text:
        qs = qs.filter(search_q(text))
    if audience in (Audience.PERSON, Audience.ENTITY):
        qs = qs.filter(audience__in=[audience, Audience.BOTH])
    elif audience == Audience.BOTH:
        qs = qs.filter(audience=Audience.BOTH)
    if topic_code:
        qs = qs.filter(topics__code=topic_code)
    if tag_code:
        qs = qs.filter(tags__code=tag_code)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if division_code:
        qs = qs.filter(division__code__startswith=policies.subtree_prefix(division_code))
    if convenience is not None:
        qs = qs.filter(is_convenience=convenience)
    if text:
        qs = qs.annotate(
            rank=Case(
                When(search_name=text, then=Value(0)),
                When(search_name__icontains=text, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        ).order_by("rank", "search_pinyin", "implementation_code")
    else:
        qs = qs.order_by("search_pinyin", "implementation_code")
    return _rows_page(qs, page, per_page)


# --- browsing ------------------------------------------------------------------------


def topic_list(*, kind: str | None = None, audience: str | None = None) -> list[Topic]:
    """Topics (life events, themes) with ``item_count`` of public items: one query."""
    qs = Topic.objects.annotate(
        item_count=Count("items", filter=_public_item_q("items__"), distinct=True)
    )
    if kind:
        qs = qs.filter(kind=kind)
    if audience:
        qs = qs.filter(audience__in=[audience, Audience.BOTH])
    return list(qs.order_by("kind", "order", "code"))


def topic_by_code(code: str, *, kind: str | None = None) -> Topic:
    qs = Topic.objects.filter(code=code)
    if kind:
        qs = qs.filter(kind=kind)
    topic = qs.first()
    if topic is None:
        raise NotFound("该分类不存在", code="topic_not_found")
    return topic


def tag_list() -> list[Tag]:
    """The special-service lists (R3.7) with ``item_count``: one query."""
    return list(
        Tag.objects.annotate(
            item_count=Count("items", filter=_public_item_q("items__"), distinct=True)
        ).order_by("order", "code")
    )


def tag_by_code(code: str) -> Tag:
    tag = Tag.objects.filter(code=code).first()
    if tag is None:
        raise NotFound("该特色服务清单不存在", code="tag_not_found")
    return tag


@dataclass
class DepartmentRow:
    agency_id: int
    name: str
    item_count: int


@dataclass
class DivisionGroup:
    code: str
    name: str
    level: str
    departments: list[DepartmentRow] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return sum(d.item_count for d in self.departments)


def departments_by_division(division_code: str | None = None) -> list[DivisionGroup]:
    """Agencies with public items, grouped by the item's division (in code
    order), each with its number of items: one query. ``division_code``
    keeps that division and those below it."""
    qs = _public_items()
    if division_code:
        qs = qs.filter(division__code__startswith=policies.subtree_prefix(division_code))
    rows = (
        qs.order_by()
        .values(
            "division__code",
            "division__name",
            "division__level",
            "agency_id",
            "agency__name",
        )
        .annotate(n=Count("id"))
        .order_by("division__code", "agency__name")
    )
    groups: dict[str, DivisionGroup] = {}
    for r in rows:
        group = groups.setdefault(
            r["division__code"],
            DivisionGroup(r["division__code"], r["division__name"], r["division__level"]),
        )
        group.departments.append(DepartmentRow(r["agency_id"], r["agency__name"], r["n"]))
    return list(groups.values())


def divisions_with_items() -> list[Division]:
    """Divisions where public items are implemented, with ``item_count``: one query."""
    return list(
        Division.objects.annotate(
            item_count=Count("items", filter=_public_item_q("items__"), distinct=True)
        )
        .filter(item_count__gt=0)
        .order_by("code")
    )


def bundle_list(*, audience: str | None = None) -> list[Bundle]:
    """Active 一件事 bundles (R6.5) with division, lead agency and
    ``member_count``: one query."""
    qs = (
        Bundle.objects.filter(lifecycle=Lifecycle.ACTIVE)
        .select_related("division", "lead_agency")
        .annotate(member_count=Count("members", distinct=True))
    )
    if audience in (Audience.PERSON, Audience.ENTITY):
        qs = qs.filter(audience__in=[audience, Audience.BOTH])
    return list(qs.order_by("code"))


def bundle_by_code(code: str) -> Bundle:
    """A bundle with its members, their items, agencies and current versions
    (with entry names): two queries."""
    member_qs = BundleMember.objects.select_related(
        "item__agency", "item__division", "item__current__entry_version"
    ).order_by("order", "pk")
    bundle = (
        Bundle.objects.filter(code=code)
        .exclude(lifecycle=Lifecycle.CANCELLED)
        .select_related("division", "lead_agency")
        .prefetch_related(Prefetch("members", queryset=member_qs))
        .first()
    )
    if bundle is None:
        raise NotFound(f"“一件事” {code} 不存在", code="bundle_not_found")
    return bundle


def entry_by_basic_code(basic_code: str) -> CatalogEntry:
    """A basic-catalogue entry (R3.2, R3.3) with its published version, its
    type and owner, and ``public_items``: its public implementations. Two
    queries."""
    entry = (
        CatalogEntry.objects.filter(basic_code=basic_code, current__isnull=False)
        .exclude(lifecycle=Lifecycle.CANCELLED)
        .select_related("current__item_type", "owner", "parent")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=_public_items()
                .select_related("agency", "division")
                .order_by("division__code", "implementation_code"),
                to_attr="public_items",
            )
        )
        .first()
    )
    if entry is None:
        raise NotFound(f"基本目录事项 {basic_code} 不存在或未发布", code="entry_not_found")
    return entry


# --- the guide -----------------------------------------------------------------------


def _guide_qs() -> QuerySet[ItemVersion]:
    return ItemVersion.objects.select_related(
        "item__agency",
        "item__division",
        "entry_version__item_type",
        "entry_version__entry",
    ).prefetch_related(
        Prefetch("variants", queryset=Variant.objects.order_by("order", "pk")),
        Prefetch(
            "materials",
            queryset=MaterialSpec.objects.select_related("variant").order_by("order", "pk"),
        ),
        Prefetch("steps", queryset=StepSpec.objects.order_by("order", "pk")),
        Prefetch("fees", queryset=Fee.objects.order_by("order", "pk")),
        Prefetch("faqs", queryset=Faq.objects.order_by("order", "pk")),
        Prefetch(
            "windows",
            queryset=Window.objects.select_related("hall").order_by("hall__name", "number"),
        ),
        Prefetch("item__tags", queryset=Tag.objects.order_by("order", "code")),
        Prefetch(
            "item__versions",
            queryset=ItemVersion.objects.filter(status__in=PUBLIC_STATUSES)
            .only("id", "item_id", "number", "status", "valid_from", "valid_to")
            .order_by("-number"),
            to_attr="public_versions",
        ),
    )


def guide_detail(implementation_code: str, version_number: int | None = None) -> ItemVersion:
    """The guide of an item (R3.4, R3.8) with every element loaded: entry
    version and type, agency, division, variants, materials, steps (each with
    ``role_name``), fees, FAQs, windows with their halls, the item's tags and
    its published versions (``item.public_versions``). Ten queries.

    Without a number: the current version of a published, non-cancelled item
    (a suspended one too: its page says why). With a number: that version, if
    it was ever published — also for a cancelled item (R3.5).
    ``version.is_current`` tells which.
    """
    qs = _guide_qs().filter(item__implementation_code=implementation_code)
    if version_number is None:
        version = qs.filter(
            item__current_id=F("id"),
            item__lifecycle__in=_LISTED,
            item__entry__lifecycle=Lifecycle.ACTIVE,
        ).first()
    else:
        version = qs.filter(number=version_number, status__in=PUBLIC_STATUSES).first()
    if version is None:
        if version_number is None:
            raise NotFound(f"事项 {implementation_code} 不存在或已取消", code="item_not_found")
        raise NotFound(
            f"事项 {implementation_code} 没有已发布的第 {version_number} 版",
            code="item_version_not_found",
        )
    version.is_current = version.pk == version.item.current_id  # type: ignore[attr-defined]
    steps = list(version.steps.all())
    codes = {s.role_code for s in steps if s.role_code}
    names = dict(Role.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    for step in steps:
        step.role_name = names.get(step.role_code, step.role_code)  # type: ignore[attr-defined]
    return version


# --- identity look-ups for the agency systems' API (writes are checked by the services) ---


def item_by_code(implementation_code: str) -> ServiceItem:
    """An item by its implementation code, whatever its state."""
    item = (
        ServiceItem.objects.select_related("agency", "division")
        .filter(implementation_code=implementation_code)
        .first()
    )
    if item is None:
        raise NotFound(f"事项 {implementation_code} 不存在", code="item_not_found")
    return item


def item_version_by_id(version_id: int) -> ItemVersion:
    """A version (any status) by id, with its item and agency."""
    version = (
        ItemVersion.objects.select_related("item__agency", "item__division", "entry_version")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        raise NotFound("版本不存在", code="item_version_not_found")
    return version


def delivery_way_names(codes: list[str]) -> list[str]:
    return [DELIVERY_WAYS.get(c, c) for c in codes or []]


def exercise_level_name(code: str) -> str:
    return EXERCISE_LEVELS.get(code, code)


__all__ = [
    "DELIVERY_WAYS",
    "EXERCISE_LEVELS",
    "ONLINE_DEPTHS",
    "PUBLIC_STATUSES",
    "DepartmentRow",
    "DivisionGroup",
    "ItemRow",
    "bundle_by_code",
    "bundle_list",
    "delivery_way_names",
    "departments_by_division",
    "divisions_with_items",
    "entry_by_basic_code",
    "exercise_level_name",
    "guide_detail",
    "initials_pattern",
    "item_by_code",
    "item_search",
    "item_version_by_id",
    "normalise_query",
    "search_q",
    "tag_by_code",
    "tag_list",
    "topic_by_code",
    "topic_list",
]
