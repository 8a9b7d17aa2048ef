"""The case state machine (R5.3, R6.4, R6.9) — pure rules, no Django.

A case moves only along the transitions below; anything else is an
``IllegalTransition`` with a Chinese message that names the case's state and
the attempted action. Services lock the case row, ask ``next_status`` and
only then write, so the rule lives here once and the database never holds a
state this table cannot reach.

    draft ──submit──▶ submitted ──prereview──▶ prereviewed
    submitted / prereviewed ──accept──▶ handling
    submitted / prereviewed ──request_correction──▶ correcting ──resubmit──▶ submitted
    submitted / prereviewed / correcting ──return──▶ returned            (退件)
    submitted / prereviewed ──refuse──▶ refused                          (不予受理)
    handling ──request_correction──▶ supplementing ──resubmit──▶ handling (clock paused)
    handling ──decide──▶ decided ──conclude──▶ concluded
    any open state before the decision ──withdraw──▶ withdrawn

A bundle's or a joint case's parent follows its parts: it is ``handling``
once submitted and ``concluded`` when every part has ended
(``parent_status``).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from yiwang.core.errors import Conflict


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PREREVIEWED = "prereviewed"
    CORRECTING = "correcting"
    HANDLING = "handling"
    SUPPLEMENTING = "supplementing"
    DECIDED = "decided"
    CONCLUDED = "concluded"
    REFUSED = "refused"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"


STATUS_NAMES: dict[Status, str] = {
    Status.DRAFT: "草稿",
    Status.SUBMITTED: "待受理",
    Status.PREREVIEWED: "预审通过，待窗口核验",
    Status.CORRECTING: "待补正",
    Status.HANDLING: "办理中",
    Status.SUPPLEMENTING: "补正中（暂停计时）",
    Status.DECIDED: "已决定，待送达",
    Status.CONCLUDED: "已办结",
    Status.REFUSED: "不予受理",
    Status.RETURNED: "已退件",
    Status.WITHDRAWN: "已撤回",
}


class Event(StrEnum):
    SUBMIT = "submit"
    PREREVIEW = "prereview"
    ACCEPT = "accept"
    REQUEST_CORRECTION = "request_correction"
    RESUBMIT = "resubmit"
    RETURN = "return"
    REFUSE = "refuse"
    DECIDE = "decide"
    CONCLUDE = "conclude"
    WITHDRAW = "withdraw"


EVENT_NAMES: dict[Event, str] = {
    Event.SUBMIT: "提交申请",
    Event.PREREVIEW: "网上预审通过",
    Event.ACCEPT: "受理",
    Event.REQUEST_CORRECTION: "一次性告知补正",
    Event.RESUBMIT: "补正后重新提交",
    Event.RETURN: "退件",
    Event.REFUSE: "不予受理",
    Event.DECIDE: "作出决定",
    Event.CONCLUDE: "办结",
    Event.WITHDRAW: "撤回申请",
}

_BEFORE_ACCEPTANCE = (Status.SUBMITTED, Status.PREREVIEWED)

TRANSITIONS: dict[tuple[Status, Event], Status] = {
    (Status.DRAFT, Event.SUBMIT): Status.SUBMITTED,
    (Status.SUBMITTED, Event.PREREVIEW): Status.PREREVIEWED,
    **{(s, Event.ACCEPT): Status.HANDLING for s in _BEFORE_ACCEPTANCE},
    **{(s, Event.REQUEST_CORRECTION): Status.CORRECTING for s in _BEFORE_ACCEPTANCE},
    (Status.CORRECTING, Event.RESUBMIT): Status.SUBMITTED,
    **{(s, Event.RETURN): Status.RETURNED for s in (*_BEFORE_ACCEPTANCE, Status.CORRECTING)},
    **{(s, Event.REFUSE): Status.REFUSED for s in _BEFORE_ACCEPTANCE},
    (Status.HANDLING, Event.REQUEST_CORRECTION): Status.SUPPLEMENTING,
    (Status.SUPPLEMENTING, Event.RESUBMIT): Status.HANDLING,
    (Status.HANDLING, Event.DECIDE): Status.DECIDED,
    (Status.DECIDED, Event.CONCLUDE): Status.CONCLUDED,
    **{
        (s, Event.WITHDRAW): Status.WITHDRAWN
        for s in (
            Status.DRAFT,
            *_BEFORE_ACCEPTANCE,
            Status.CORRECTING,
            Status.HANDLING,
            Status.SUPPLEMENTING,
        )
    },
}

ENDED: frozenset[Status] = frozenset(
    {Status.CONCLUDED, Status.REFUSED, Status.RETURNED, Status.WITHDRAWN}
)
"""States no event leaves."""

CLOCK_RUNNING: frozenset[Status] = frozenset({Status.HANDLING})
"""States in which the handling time limit runs (it starts at acceptance)."""

ACCEPTED: frozenset[Status] = frozenset(
    {Status.HANDLING, Status.SUPPLEMENTING, Status.DECIDED, Status.CONCLUDED}
)


class IllegalTransition(Conflict):
    code = "illegal_transition"

    def __init__(self, status: Status | str, event: Event | str) -> None:
        state = STATUS_NAMES.get(Status(status), str(status))
        action = EVENT_NAMES.get(Event(event), str(event))
        super().__init__(f"办件当前状态为“{state}”，不能{action}")
        self.case_status = Status(status)
        self.event = Event(event)


def next_status(status: Status | str, event: Event | str) -> Status:
    """The state after ``event``, or IllegalTransition."""
    key = (Status(status), Event(event))
    if key not in TRANSITIONS:
        raise IllegalTransition(status, event)
    return TRANSITIONS[key]


def allowed_events(status: Status | str) -> list[Event]:
    """The events the state allows, in the table's order (for buttons)."""
    s = Status(status)
    return [e for (st, e) in TRANSITIONS if st == s]


def parent_status(parts: Iterable[Status | str]) -> Status:
    """A bundle's or joint case's state from its parts' states: concluded when
    every part has ended (and at least one concluded), withdrawn or refused
    when all parts ended that way, otherwise handling."""
    states = [Status(p) for p in parts]
    if not states or any(s not in ENDED for s in states):
        return Status.HANDLING
    if any(s == Status.CONCLUDED for s in states):
        return Status.CONCLUDED
    if all(s == Status.WITHDRAWN for s in states):
        return Status.WITHDRAWN
    if all(s == Status.RETURNED for s in states):
        return Status.RETURNED
    return Status.REFUSED
