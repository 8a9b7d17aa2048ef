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

Search and the item lists read the narrow search table (``ItemSearchRow``,
one row per public item, and ``SearchKey``, one per distinct name; kept by
the services, see ``search_index``): the words are matched against the few
thousand distinct names, not the items. A page is four queries whatever the
number of items: the count, the ids of the page in order, their rows by
primary key, their tags. The topic, tag and division counts are cached under
the catalogue's tokens, and the guide has a cache key that changes with
everything its page shows (``guide_cache_key``). The guide itself is read in
a fixed number of queries whatever its size.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Lookup,
    OuterRef,
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
    CatalogGeneration,
    Faq,
    Fee,
    ItemSearchRow,
    ItemVersion,
    Lifecycle,
    LimitUnit,
    MaterialSpec,
    SearchKey,
    ServiceItem,
    StepSpec,
    SuspendReason,
    Tag,
    Topic,
    Variant,
    VersionStatus,
)
from yiwang.domains.catalog.search_index import LISTED, generation, public_item_q
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
    initials match). Registered on the initials fields only."""

    lookup_name = "like"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs}", [*lhs_params, *rhs_params]


ServiceItem._meta.get_field("search_initials").register_lookup(_Like)
SearchKey._meta.get_field("initials").register_lookup(_Like)

_LISTED = LISTED
_public_item_q = public_item_q

# Cached counts live this long at most; their keys change with the catalogue.
LIST_CACHE_SECONDS = 3600


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
    cond = Q(name__icontains=word)
    low = word.lower()
    if _ASCII_WORD.match(low):
        cond |= Q(pinyin__contains=low)
        if _LETTERS.match(low):
            cond |= Q(initials__like=initials_pattern(low))
    return cond


def search_q(q: str) -> Q:
    """The match condition of a (normalised) query on ``SearchKey``: every
    word must match the name, its full pinyin or (letters in order) its
    initials."""
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


def _cached(name: str, build: Any) -> Any:
    """``build()``, cached under ``name`` and the catalogue's tokens (one
    query for the tokens; nothing is cached without them)."""
    tokens = generation()
    if tokens is None:
        return build()
    key = f"yiwang:catalog:{name}:{tokens[0]}:{tokens[1]}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, LIST_CACHE_SECONDS)
    return value


# The item lists a search can be narrowed to (R3.7 special-service lists, portal topics).
_LABELS: dict[str, Any] = {"tag": ServiceItem.tags.through, "topic": ServiceItem.topics.through}


def _label_counts() -> dict[str, Any]:
    """Public items in all and per tag and topic code."""
    public_ids = ItemSearchRow.objects.values("item_id")
    out: dict[str, Any] = {"total": ItemSearchRow.objects.count()}
    for kind, through in _LABELS.items():
        out[kind] = dict(
            through.objects.filter(serviceitem_id__in=public_ids)
            .order_by()
            .values_list(f"{kind}__code")
            .annotate(n=Count("serviceitem_id"))
            .values_list(f"{kind}__code", "n")
        )
    return out


def _stats() -> dict[str, Any]:
    return _cached("stats", _label_counts)  # type: ignore[no-any-return]


def _label_filter(kind: str, code: str, *, walk: bool) -> Any:
    """Rows on the tag or topic list ``code``. ``walk``: as a probe of each
    row met (cheap when rows are narrowed already, or when the list is dense
    and the page near the front); otherwise the list's items are read first
    (cheap when the list is short)."""
    members = _LABELS[kind].objects.filter(**{f"{kind}__code": code})
    if walk:
        return Exists(members.filter(serviceitem_id=OuterRef("item_id")))
    return Q(item_id__in=members.values("serviceitem_id"))


class _Hits:
    """The ordered item ids of a search for the paginator: the count is
    known, each page is read by ``fetch(window)``."""

    def __init__(self, count: int, fetch: Any) -> None:
        self._count = count
        self._fetch = fetch

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, window: slice) -> list[int]:
        return self._fetch(window)  # type: ignore[no-any-return]


def _q(model: Any, field: str | None = None) -> str:
    """The quoted table of ``model``, or the quoted column of its ``field``."""
    name = model._meta.get_field(field).column if field else model._meta.db_table
    return connection.ops.quote_name(name)  # type: ignore[no-any-return]


@functools.cache
def _rows_sql() -> tuple[str, str]:
    """The two statements of ``_rows`` (``{ids}`` for the placeholders),
    written out: they run on every search page, where building them through
    the ORM costs several times what the database does."""
    entry_version = ItemVersion._meta.get_field("entry_version").related_model
    item_type = entry_version._meta.get_field("item_type").related_model
    agency = ServiceItem._meta.get_field("agency").related_model
    through = ServiceItem.tags.through
    rows = (
        f"SELECT i.{_q(ServiceItem, 'id')}, i.{_q(ServiceItem, 'implementation_code')}, "
        f"i.{_q(ServiceItem, 'search_name')}, i.{_q(ServiceItem, 'audience')}, "
        f"i.{_q(ServiceItem, 'is_convenience')}, i.{_q(ServiceItem, 'lifecycle')}, "
        f"i.{_q(ServiceItem, 'suspend_reason')}, i.{_q(ServiceItem, 'suspend_note')}, "
        f"a.{_q(agency, 'name')}, a.{_q(agency, 'short_name')}, d.{_q(Division, 'name')}, "
        f"ev.{_q(entry_version, 'name')}, t.{_q(item_type, 'name')}, "
        f"v.{_q(ItemVersion, 'online_depth')}, v.{_q(ItemVersion, 'onsite_trips')}, "
        f"v.{_q(ItemVersion, 'promised_limit')}, v.{_q(ItemVersion, 'promised_unit')} "
        f"FROM {_q(ServiceItem)} i "
        f"JOIN {_q(agency)} a ON a.{_q(agency, 'id')} = i.{_q(ServiceItem, 'agency')} "
        f"JOIN {_q(Division)} d ON d.{_q(Division, 'id')} = i.{_q(ServiceItem, 'division')} "
        f"LEFT JOIN {_q(ItemVersion)} v "
        f"ON v.{_q(ItemVersion, 'id')} = i.{_q(ServiceItem, 'current')} "
        f"LEFT JOIN {_q(entry_version)} ev "
        f"ON ev.{_q(entry_version, 'id')} = v.{_q(ItemVersion, 'entry_version')} "
        f"LEFT JOIN {_q(item_type)} t "
        f"ON t.{_q(item_type, 'id')} = ev.{_q(entry_version, 'item_type')} "
        f"WHERE i.{_q(ServiceItem, 'id')} IN ({{ids}})"
    )
    tags = (
        f"SELECT x.{_q(through, 'serviceitem')}, g.{_q(Tag, 'code')}, g.{_q(Tag, 'name')} "
        f"FROM {_q(through)} x JOIN {_q(Tag)} g ON g.{_q(Tag, 'id')} = x.{_q(through, 'tag')} "
        f"WHERE x.{_q(through, 'serviceitem')} IN ({{ids}}) "
        f"ORDER BY g.{_q(Tag, 'order')}, g.{_q(Tag, 'code')}"
    )
    return rows, tags


def _rows(ids: list[int]) -> list[ItemRow]:
    """The display rows of these items, in this order: their columns by
    primary key (one query) and their tags (one query)."""
    if not ids:
        return []
    rows_sql, tags_sql = _rows_sql()
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cur:
        cur.execute(rows_sql.format(ids=marks), ids)
        values = {r[0]: dict(zip(_ROW_FIELDS, r, strict=True)) for r in cur.fetchall()}
        cur.execute(tags_sql.format(ids=marks), ids)
        tags: dict[int, list[tuple[str, str]]] = {pk: [] for pk in values}
        for item_id, code, name in cur.fetchall():
            tags[item_id].append((code, name))
    for v in values.values():
        v["is_convenience"] = bool(v["is_convenience"])
    return [_row(values[pk], tags[pk]) for pk in ids if pk in values]


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
    divisions below it. Reads the search table: the count (taken from the
    cached statistics for a whole list or everything), the ids of the page
    (exact name first, then names containing the query, then pinyin
    matches; each by pinyin and code), their rows, their tags — at most four
    queries (one when nothing matches).
    """
    rows = ItemSearchRow.objects.all()
    text = normalise_query(q)
    narrowed = False
    if text:
        rows = rows.filter(key__in=SearchKey.objects.filter(search_q(text)).values("pk"))
    if audience in (Audience.PERSON, Audience.ENTITY):
        rows = rows.filter(audience__in=[audience, Audience.BOTH])
        narrowed = True
    elif audience == Audience.BOTH:
        rows = rows.filter(audience=Audience.BOTH)
        narrowed = True
    if agency_id:
        rows = rows.filter(agency_id=agency_id)
        narrowed = True
    if division_code:
        rows = rows.filter(division_code__startswith=policies.subtree_prefix(division_code))
        narrowed = True
    if convenience is not None:
        rows = rows.filter(is_convenience=convenience)
        narrowed = True
    labels = [(k, c) for k, c in (("tag", tag_code), ("topic", topic_code)) if c]
    stats: dict[str, Any] = {}
    if not text and (labels or not narrowed):
        stats = _stats()
    if not text and not narrowed and len(labels) <= 1:
        # A whole list, or everything: counted in the cached statistics.
        count = stats[labels[0][0]].get(labels[0][1], 0) if labels else stats["total"]
    else:
        counted = rows
        for kind, code in labels:
            counted = counted.filter(_label_filter(kind, code, walk=bool(text)))
        count = counted.count()
    if text:
        rows = rows.annotate(
            rank=Case(
                When(key__name=text, then=Value(0)),
                When(key__name__icontains=text, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        ).order_by("rank", "pinyin", "implementation_code")
    else:
        rows = rows.order_by("pinyin", "implementation_code")

    def fetch(window: slice) -> list[int]:
        if not count or (window.stop or 0) <= (window.start or 0):
            return []
        walk = bool(text)
        if labels and not text:
            # Walking the rows in order until the page is full meets about
            # stop × total / count rows; reading the list first meets count.
            walk = (window.stop or 0) * stats["total"] < count * count
        page_rows = rows
        for kind, code in labels:
            page_rows = page_rows.filter(_label_filter(kind, code, walk=walk))
        return list(page_rows.values_list("item_id", flat=True)[window])

    per_page = max(1, min(int(per_page or PER_PAGE), MAX_PER_PAGE))
    hits: Any = _Hits(count, fetch)
    result: Page = Paginator(hits, per_page).get_page(page)
    result.object_list = _rows(list(result.object_list)) if count else []
    return result


# --- browsing ------------------------------------------------------------------------


def _topics_counted(kind: str | None, audience: str | None) -> list[Topic]:
    counts = _stats()["topic"]
    qs = Topic.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if audience:
        qs = qs.filter(audience__in=[audience, Audience.BOTH])
    topics = list(qs.order_by("kind", "order", "code"))
    for t in topics:
        t.item_count = counts.get(t.code, 0)  # type: ignore[attr-defined]
    return topics


def topic_list(*, kind: str | None = None, audience: str | None = None) -> list[Topic]:
    """Topics (life events, themes) with ``item_count`` of public items;
    cached, so one query (the tokens) while the catalogue stays the same."""
    return _cached(f"topics:{kind or ''}:{audience or ''}", lambda: _topics_counted(kind, audience))


def topic_by_code(code: str, *, kind: str | None = None) -> Topic:
    qs = Topic.objects.filter(code=code)
    if kind:
        qs = qs.filter(kind=kind)
    topic = qs.first()
    if topic is None:
        raise NotFound("该分类不存在", code="topic_not_found")
    return topic


def _tags_counted() -> list[Tag]:
    counts = _stats()["tag"]
    tags = list(Tag.objects.order_by("order", "code"))
    for t in tags:
        t.item_count = counts.get(t.code, 0)  # type: ignore[attr-defined]
    return tags


def tag_list() -> list[Tag]:
    """The special-service lists (R3.7) with ``item_count``; cached, so one
    query (the tokens) while the catalogue stays the same."""
    return _cached("tags", _tags_counted)


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


def _departments_counted(division_code: str | None) -> list[DivisionGroup]:
    rows = ItemSearchRow.objects.all()
    if division_code:
        rows = rows.filter(division_code__startswith=policies.subtree_prefix(division_code))
    counted = list(
        rows.order_by()
        .values_list("division_code", "agency_id", "agency__name")
        .annotate(n=Count("item_id"))
        .order_by("division_code", "agency__name")
    )
    divisions = {
        d.code: d
        for d in Division.objects.filter(code__in={r[0] for r in counted}).only(
            "code", "name", "level"
        )
    }
    groups: dict[str, DivisionGroup] = {}
    for code, agency_id, agency_name, n in counted:
        d = divisions[code]
        group = groups.setdefault(code, DivisionGroup(code, d.name, d.level))
        group.departments.append(DepartmentRow(agency_id, agency_name, n))
    return list(groups.values())


def departments_by_division(division_code: str | None = None) -> list[DivisionGroup]:
    """Agencies with public items, grouped by the item's division (in code
    order), each with its number of items; cached, so one query (the tokens)
    while the catalogue stays the same. ``division_code`` keeps that division
    and those below it."""
    return _cached(
        f"departments:{division_code or ''}", lambda: _departments_counted(division_code)
    )


def _divisions_counted() -> list[Division]:
    counts = dict(
        ItemSearchRow.objects.order_by()
        .values_list("division_code")
        .annotate(n=Count("item_id"))
        .values_list("division_code", "n")
    )
    divisions = list(Division.objects.filter(code__in=list(counts)).order_by("code"))
    for d in divisions:
        d.item_count = counts[d.code]  # type: ignore[attr-defined]
    return divisions


def divisions_with_items() -> list[Division]:
    """Divisions where public items are implemented, with ``item_count``;
    cached, so one query (the tokens) while the catalogue stays the same."""
    return _cached("divisions", _divisions_counted)


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


_GUIDE_KEY_SQL = (
    "SELECT r.version_id, r.stamp, g.reference FROM {row} r, {gen} g "
    "WHERE r.implementation_code = %s AND g.id = 1"
)


def search_page_key(params: str) -> str | None:
    """A name for the search page of these (normalised) query parameters
    that changes with every catalogue write and every save of reference
    data the page shows (the catalogue's tokens); None when the tokens are
    missing: then nothing may be cached. One query."""
    tokens = generation()
    if tokens is None:
        return None
    digest = hashlib.sha256(params.encode("utf-8")).hexdigest()[:32]
    return f"yiwang:portal:items:{tokens[0]}:{tokens[1]}:{digest}"


def guide_cache_key(implementation_code: str) -> str | None:
    """A name for the current guide of a public item that changes whenever
    anything its page shows changes (R3.4): the current version (immutable
    once published), the item's refresh stamp (lifecycle, suspension reason,
    tags …) and the catalogue's reference token (agency, division, window,
    hall, role, type and tag names). None when the item is not public or the
    tokens are missing: then nothing may be cached.

    One indexed query, written out: it runs on every guide page, where
    building it through the ORM would cost more than the rest of the page."""
    sql = _GUIDE_KEY_SQL.format(
        row=connection.ops.quote_name(ItemSearchRow._meta.db_table),
        gen=connection.ops.quote_name(CatalogGeneration._meta.db_table),
    )
    with connection.cursor() as cur:
        cur.execute(sql, [implementation_code])
        row = cur.fetchone()
    if row is None:
        return None
    return f"{row[0]}:{row[1]}:{row[2]}"


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
    "guide_cache_key",
    "guide_detail",
    "initials_pattern",
    "item_by_code",
    "item_search",
    "item_version_by_id",
    "normalise_query",
    "search_page_key",
    "search_q",
    "tag_by_code",
    "tag_list",
    "topic_by_code",
    "topic_list",
]
