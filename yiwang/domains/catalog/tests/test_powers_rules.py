"""The pure rules of the power lists (no database): the listed reasons per
request (R4.2, R4.3), a power's document (R4.1), "not updated in time" and
"steps not following the flowchart" (R4.5), masking contacts (R4.6)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from yiwang.domains.catalog.models import PowerChangeReason, PowerType, SuspendReason
from yiwang.domains.catalog.powerdoc import (
    REASONS_BY_KIND,
    clean_power_doc,
    mask_contact,
    normalise_step_name,
    reason_error,
    stale_reason,
    steps_differ,
)

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def test_reasons_are_exactly_the_listed_ones():
    """R4.2, R4.3: every reason offered is one of the listed ones, every
    listed reason is offered somewhere, suspensions take only R4.3's."""
    r42 = set(PowerChangeReason.values)
    offered = set().union(*(REASONS_BY_KIND[k] for k in ("add", "cancel", "delegate", "change")))
    assert offered == r42
    assert set(REASONS_BY_KIND["suspend"]) == set(SuspendReason.values)
    assert "cancelled_above" not in REASONS_BY_KIND["add"]
    assert "delegated_from_above" not in REASONS_BY_KIND["cancel"]
    assert reason_error("add", "other", "") is not None
    assert reason_error("add", "other", "说明") is None
    assert reason_error("resume", "", "") is not None
    assert reason_error("resume", "", "恢复理由") is None
    assert reason_error("nonsense", "other", "x") == "申请类型无效"


@given(kind=st.sampled_from(sorted(REASONS_BY_KIND)), reason=st.text(max_size=20))
def test_unlisted_reasons_are_refused(kind, reason):
    if kind == "resume" or reason in REASONS_BY_KIND[kind]:
        return
    assert reason_error(kind, reason, "说明") is not None


def test_a_full_document_needs_code_name_type_basis():
    doc, errors = clean_power_doc({}, power_types=PowerType.values, with_code=True)
    assert set(errors) == {"code", "name", "power_type", "basis"}
    doc, errors = clean_power_doc(
        {
            "code": "XK-1",
            "name": "  食品经营许可 ",
            "power_type": "licensing",
            "basis": [{"title": "《食品安全法》", "article": "第三十五条"}],
            "steps": [{"name": " 受理 ", "actor_role": ""}],
            "duties": [],
        },
        power_types=PowerType.values,
        with_code=True,
    )
    assert errors == {}
    assert doc["name"] == "食品经营许可" and doc["steps"] == [{"name": "受理"}]
    _, errors = clean_power_doc({"steps": "受理"}, power_types=PowerType.values, partial=True)
    assert "格式" in errors["steps"]
    _, errors = clean_power_doc(
        {"steps": [{"name": f"环节{i}"} for i in range(51)]},
        power_types=PowerType.values,
        partial=True,
    )
    assert "50" in errors["steps"]


def test_partial_documents_check_only_what_is_given():
    doc, errors = clean_power_doc(
        {"time_limit": "5个工作日"}, power_types=PowerType.values, partial=True
    )
    assert errors == {} and doc == {"time_limit": "5个工作日"}


@given(
    names=st.lists(st.text(min_size=1, max_size=6), max_size=6),
    pad=st.sampled_from(["", " ", "\u3000", "\t"]),
)
def test_steps_compare_by_name_and_order_ignoring_spaces(names, pad):
    """R4.5: the same names in the same order follow the flowchart, whatever
    the spaces; any other order or set does not."""
    assert not steps_differ(names, [pad + n + pad for n in names])
    norm = [normalise_step_name(n) for n in names]
    assert steps_differ(names, list(reversed(names))) == (norm != norm[::-1])
    assert steps_differ(names, [*names, "多出的环节"])


@given(
    reviewed_days=st.integers(min_value=0, max_value=1000),
    changed_days=st.one_of(st.none(), st.integers(min_value=0, max_value=1000)),
    stale=st.integers(min_value=1, max_value=800),
    grace=st.integers(min_value=1, max_value=200),
)
def test_not_updated_in_time(reviewed_days, changed_days, stale, grace):
    """R4.5: stale exactly when the last review is older than the limit, or
    the basis changed after the last review longer ago than the grace."""
    reviewed = NOW - dt.timedelta(days=reviewed_days)
    changed = None if changed_days is None else NOW - dt.timedelta(days=changed_days)
    reason = stale_reason(
        now=NOW,
        reviewed_at=reviewed,
        basis_changed_at=changed,
        stale_days=stale,
        basis_grace_days=grace,
    )
    late_review = reviewed_days > stale
    late_basis = changed is not None and changed > reviewed and changed_days > grace
    assert (reason is not None) == (late_review or late_basis)
    if late_basis:
        assert "依据" in reason


def test_never_reviewed_is_stale():
    assert stale_reason(
        now=NOW, reviewed_at=None, basis_changed_at=None, stale_days=365, basis_grace_days=30
    )


@given(st.from_regex(r"1[3-9]\d{9}", fullmatch=True))
def test_phone_numbers_keep_only_prefix_and_last_four(phone):
    masked = mask_contact(phone)
    assert masked == phone[:3] + "****" + phone[-4:]
