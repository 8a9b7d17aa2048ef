"""Portal pages of the catalogue (R3.4, R3.7, R3.8, R6.5): search and browse
items, read a guide, special-service lists and 一件事 bundles.

Views parse the query string and call the public selectors; nothing here
decides what is public. A NotFound from a selector is a 404 page.

The guide of an item's current version is rendered once and cached under
``public.guide_cache_key`` (which changes with everything the page shows), so
a repeated visit costs one indexed query and a cache read: the whole page for
a visitor without a session (not logged in, no message waiting), the guide
inside a freshly rendered header otherwise.

For visitors without a session the key itself is remembered in the process
for ``YIWANG_GUIDE_RECHECK_SECONDS`` (default 1 s): a busy guide page then
costs a cache read and no query, and a change shows on every process within
that interval.

The search page of a visitor without a session is cached whole under its
query and the catalogue's tokens (``public.search_page_key``): one query and
a cache read for a repeated search.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe

from yiwang.core.errors import NotFound
from yiwang.domains.catalog import public
from yiwang.domains.catalog.models import Audience, MaterialSpec, Topic
from yiwang.domains.catalog.selectors import bundle_merged_form, bundle_merged_materials
from yiwang.domains.orgs.selectors import agency_detail
from yiwang.web.auth import attach_applicant

AUDIENCE_CHOICES = [("", "全部对象"), ("person", "个人"), ("entity", "法人")]


def _found(fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def _query_without_page(request: HttpRequest) -> str:
    """The current filters as a query-string prefix for the pager links."""
    pairs = [(k, v) for k, v in request.GET.items() if k != "page" and v]
    return urlencode(pairs) + "&" if pairs else ""


def _cached_page(page_key: str | None) -> HttpResponse | None:
    page = cache.get(page_key) if page_key else None
    if page is None:
        return None
    response = HttpResponse(page, content_type="text/html; charset=utf-8")
    patch_vary_headers(response, ("Cookie",))
    return response


def _font(request: HttpRequest) -> int:
    return int(request.COOKIES.get("large_font") == "1")


def items(request: HttpRequest) -> HttpResponse:
    """/items/: search (name, pinyin, initials) with filters and pages.

    For a visitor without a session the whole page is cached under its
    query and the catalogue's tokens (``public.search_page_key``): a
    repeated search (the popular ones are most of a portal's searches)
    costs one query and a cache read, and any catalogue change shows at
    once."""
    page_key = None
    if _nobody(request):
        params = urlencode(sorted((k, v) for k, v in request.GET.items() if v))
        key = public.search_page_key(params)
        page_key = f"{key}:{_font(request)}" if key else None
        hit = _cached_page(page_key)
        if hit is not None:
            return hit
    response = _items_page(request)
    if page_key and response.status_code == 200:
        cache.set(page_key, response.content, public.LIST_CACHE_SECONDS)
        patch_vary_headers(response, ("Cookie",))
    return response


def _items_page(request: HttpRequest) -> HttpResponse:
    attach_applicant(request)
    q = public.normalise_query(request.GET.get("q"))
    audience = request.GET.get("audience") or ""
    if audience not in ("person", "entity"):
        audience = ""
    topic = request.GET.get("topic") or ""
    tag = request.GET.get("tag") or ""
    division = request.GET.get("division") or ""
    agency_id = _int(request.GET.get("agency"))
    result = public.item_search(
        q,
        audience=audience or None,
        topic_code=topic or None,
        tag_code=tag or None,
        division_code=division or None,
        agency_id=agency_id,
        page=request.GET.get("page") or 1,
    )
    topics = public.topic_list()
    divisions = public.divisions_with_items()
    agency_name = ""
    if agency_id:
        try:
            agency_name = agency_detail(pk=agency_id).name
        except NotFound:
            agency_id = None
    filtered = bool(q or audience or topic or tag or division or agency_id)
    return render(
        request,
        "portal/catalog/items.html",
        {
            "q": q,
            "page": result,
            "audience": audience,
            "topic": topic,
            "tag": tag,
            "division": division,
            "agency_id": agency_id,
            "agency_name": agency_name,
            "audience_choices": AUDIENCE_CHOICES,
            "life_events": [t for t in topics if t.kind == Topic.Kind.LIFE_EVENT],
            "themes": [t for t in topics if t.kind == Topic.Kind.THEME],
            "tags": public.tag_list(),
            "divisions": divisions,
            "filtered": filtered,
            "query": _query_without_page(request),
        },
    )


GUIDE_CACHE_SECONDS = 24 * 3600


def _guide_parts(code: str, number: int | None) -> tuple[str, str]:
    """(title, HTML of the guide) of one version: ten queries and the template."""
    version = _found(public.guide_detail, code, number)
    item = version.item
    entry_version = version.entry_version
    materials = list(version.materials.all())
    body = render_to_string(
        "portal/catalog/_guide_body.html",
        {
            "v": version,
            "item": item,
            "ev": entry_version,
            "variants": list(version.variants.all()),
            "materials": materials,
            "has_deferrable": any(m.necessity == "deferrable" for m in materials),
            "steps": list(version.steps.all()),
            "fees": list(version.fees.all()),
            "faqs": list(version.faqs.all()),
            "windows": list(version.windows.all()),
            "tags": list(item.tags.all()),
            "history": item.public_versions,
            "delivery_ways": public.delivery_way_names(version.delivery_ways),
            "exercise_level": public.exercise_level_name(version.exercise_level),
            "exercise_levels": [
                public.exercise_level_name(c) for c in entry_version.exercise_levels or []
            ],
            "online_depth": public.ONLINE_DEPTHS.get(version.online_depth, ""),
            "convenience": item.is_convenience,
            "suspended": item.lifecycle == "suspended",
            "cancelled": item.lifecycle == "cancelled",
        },
    )
    return entry_version.name, body


def _guide_page(request: HttpRequest, parts: tuple[str, str]) -> HttpResponse:
    title, body = parts
    return render(
        request,
        "portal/catalog/guide.html",
        {"guide_title": title, "guide_body": mark_safe(body)},
    )


def _nobody(request: HttpRequest) -> bool:
    """The visitor has no session and no message waiting: not logged in, and
    nothing on the page depends on who asks. Read from the cookies alone."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


_KEY_MEMO: OrderedDict[str, tuple[float, str | None]] = OrderedDict()
_KEY_MEMO_LOCK = threading.Lock()
_KEY_MEMO_SIZE = 20_000
_clock = time.monotonic


def _recent_guide_key(code: str) -> str | None:
    """``public.guide_cache_key(code)``, remembered for a short while."""
    ttl = float(getattr(settings, "YIWANG_GUIDE_RECHECK_SECONDS", 1.0))
    if ttl <= 0:
        return public.guide_cache_key(code)
    now = _clock()
    with _KEY_MEMO_LOCK:
        hit = _KEY_MEMO.get(code)
    if hit is not None and hit[0] > now:
        return hit[1]
    key = public.guide_cache_key(code)
    with _KEY_MEMO_LOCK:
        _KEY_MEMO[code] = (now + ttl, key)
        _KEY_MEMO.move_to_end(code)
        while len(_KEY_MEMO) > _KEY_MEMO_SIZE:
            _KEY_MEMO.popitem(last=False)
    return key


def forget_guide_keys() -> None:
    """Drop the remembered keys (after a write in this process)."""
    with _KEY_MEMO_LOCK:
        _KEY_MEMO.clear()


def item_guide(request: HttpRequest, code: str) -> HttpResponse:
    """/items/<code>/: the full guide (R3.4), or the lighter guide of a
    convenience item (R3.8); ?version=N shows an old published version.

    The current guide is cached (see the module docstring): for a visitor
    without a session the whole page, one indexed query and a cache read."""
    number = _int(request.GET.get("version"))
    if request.GET.get("version") and number is None:
        raise Http404("版本号无效")
    nobody = _nobody(request)
    if number is not None:
        key = None
    elif nobody:
        key = _recent_guide_key(code)
    else:
        key = public.guide_cache_key(code)
    whole = key is not None and nobody
    page_key = f"yiwang:portal:guide-page:{key}:{_font(request)}"
    if whole:
        hit = _cached_page(page_key)
        if hit is not None:
            return hit
    attach_applicant(request)
    if key is None:
        return _guide_page(request, _guide_parts(code, number))
    body_key = f"yiwang:portal:guide:{key}"
    parts = cache.get(body_key)
    if parts is None:
        parts = _guide_parts(code, None)
        cache.set(body_key, parts, GUIDE_CACHE_SECONDS)
    response = _guide_page(request, parts)
    if whole:
        cache.set(page_key, response.content, GUIDE_CACHE_SECONDS)
    return response


def _topics_page(request: HttpRequest, kind: str, audience: str) -> HttpResponse:
    attach_applicant(request)
    topics = public.topic_list(kind=kind)
    is_person = audience == Audience.PERSON
    return render(
        request,
        "portal/catalog/topics.html",
        {
            "topics": topics,
            "kind": kind,
            "audience": audience,
            "title": "个人办事 · 人生事件" if is_person else "法人办事 · 主题服务",
            "heading": "按人生事件找服务" if is_person else "按主题找服务",
            "detail_url": "portal:life_event" if is_person else "portal:theme",
            "tags": public.tag_list(),
            "bundles": public.bundle_list(audience=audience),
        },
    )


def life_events(request: HttpRequest) -> HttpResponse:
    """/life-events/: 个人办事, by life event (出生、上学、就业 …)."""
    return _topics_page(request, Topic.Kind.LIFE_EVENT, Audience.PERSON)


def themes(request: HttpRequest) -> HttpResponse:
    """/themes/: 法人办事, by theme (开办企业、经营许可、工程建设 …)."""
    return _topics_page(request, Topic.Kind.THEME, Audience.ENTITY)


def _topic_detail(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    attach_applicant(request)
    topic = _found(public.topic_by_code, code, kind=kind)
    result = public.item_search(topic_code=topic.code, page=request.GET.get("page") or 1)
    is_life = kind == Topic.Kind.LIFE_EVENT
    return render(
        request,
        "portal/catalog/topic.html",
        {
            "topic": topic,
            "page": result,
            "query": "",
            "parent_title": "个人办事" if is_life else "法人办事",
            "parent_url": "portal:life_events" if is_life else "portal:themes",
        },
    )


def life_event(request: HttpRequest, code: str) -> HttpResponse:
    return _topic_detail(request, code, Topic.Kind.LIFE_EVENT)


def theme(request: HttpRequest, code: str) -> HttpResponse:
    return _topic_detail(request, code, Topic.Kind.THEME)


def departments(request: HttpRequest) -> HttpResponse:
    """/departments/: implementing agencies by division, each linking to its items."""
    attach_applicant(request)
    division = request.GET.get("division") or ""
    return render(
        request,
        "portal/catalog/departments.html",
        {
            "groups": public.departments_by_division(division or None),
            "divisions": public.divisions_with_items(),
            "division": division,
        },
    )


def tag_lists(request: HttpRequest) -> HttpResponse:
    """/lists/: the special-service lists (R3.7)."""
    attach_applicant(request)
    return render(request, "portal/catalog/tags.html", {"tags": public.tag_list()})


def tag_items(request: HttpRequest, code: str) -> HttpResponse:
    """/lists/<tag>/: the items on one special-service list (R3.7)."""
    attach_applicant(request)
    tag = _found(public.tag_by_code, code)
    result = public.item_search(tag_code=tag.code, page=request.GET.get("page") or 1)
    return render(
        request,
        "portal/catalog/tag.html",
        {"tag": tag, "page": result, "query": "", "tags": public.tag_list()},
    )


def bundles(request: HttpRequest) -> HttpResponse:
    """/bundles/: 一件事一次办 (R6.5)."""
    attach_applicant(request)
    return render(request, "portal/catalog/bundles.html", {"bundles": public.bundle_list()})


def bundle(request: HttpRequest, code: str) -> HttpResponse:
    """/bundles/<code>/: members, the merged material list and the merged form (R6.5)."""
    attach_applicant(request)
    b = _found(public.bundle_by_code, code)
    schema = bundle_merged_form(b) or {}
    required = set(schema.get("required") or [])
    members = list(b.members.all())
    names = {m.item_id: _member_name(m) for m in members}
    used_by = schema.get("x-members") or {}
    fields = [
        {
            "name": name,
            "title": (prop or {}).get("title") or name,
            "type": _TYPES.get((prop or {}).get("type") or "", (prop or {}).get("type") or ""),
            "required": name in required,
            "items": [names.get(i, "") for i in used_by.get(name, [])],
        }
        for name, prop in (schema.get("properties") or {}).items()
    ]
    materials = [
        {
            **m,
            "kind_name": _KINDS.get(m.get("kind", ""), ""),
            "form_name": _FORMS.get(m.get("form", ""), ""),
            "necessity_name": _NECESSITIES.get(m.get("necessity", ""), ""),
            "source_name": _SOURCES.get(m.get("source", ""), ""),
            "item_names": list(
                dict.fromkeys(names.get(x["item_id"]) or x.get("item_name", "") for x in m["items"])
            ),
        }
        for m in bundle_merged_materials(b)
    ]
    return render(
        request,
        "portal/catalog/bundle.html",
        {
            "bundle": b,
            "members": [(m, names[m.item_id]) for m in members],
            "materials": materials,
            "form_fields": fields,
        },
    )


_KINDS = dict(MaterialSpec.Kind.choices)
_FORMS = dict(MaterialSpec.Form.choices)
_NECESSITIES = dict(MaterialSpec.Necessity.choices)
_SOURCES = dict(MaterialSpec.Source.choices)
_TYPES = {
    "string": "文本",
    "number": "数字",
    "integer": "整数",
    "boolean": "是/否",
    "array": "多项",
    "object": "组合",
}


def _member_name(member: Any) -> str:
    item = member.item
    if item.current_id and item.current is not None:
        return item.current.entry_version.name
    return item.search_name or item.implementation_code
