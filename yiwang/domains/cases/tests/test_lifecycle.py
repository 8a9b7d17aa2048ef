"""The case state machine on its own: Hypothesis drives random event
sequences against it and checks the invariants a lawful case keeps."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from yiwang.domains.cases.lifecycle import (
    ACCEPTED,
    ENDED,
    STATUS_NAMES,
    TRANSITIONS,
    Event,
    IllegalTransition,
    Status,
    allowed_events,
    next_status,
    parent_status,
)


class CaseMachine(RuleBasedStateMachine):
    """R5.3, R6.4, R6.9: a case only moves along the table; once ended it
    never moves again; it can be decided only after acceptance and never be
    withdrawn after the decision; every refused event leaves it unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.status = Status.DRAFT
        self.history: list[tuple[Status, Event, Status]] = []
        self.accepted = False

    @rule(event=st.sampled_from(list(Event)))
    def apply(self, event: Event) -> None:
        before = self.status
        try:
            after = next_status(before, event)
        except IllegalTransition as exc:
            assert (before, event) not in TRANSITIONS
            assert STATUS_NAMES[before] in exc.message
            assert self.status == before
            return
        assert (before, event) in TRANSITIONS
        assert event in allowed_events(before)
        if event == Event.ACCEPT:
            self.accepted = True
        self.history.append((before, event, after))
        self.status = after

    @invariant()
    def ended_states_are_final(self) -> None:
        for i, (_, _, after) in enumerate(self.history):
            if after in ENDED:
                assert i == len(self.history) - 1

    @invariant()
    def decided_only_after_acceptance(self) -> None:
        if self.status in (Status.DECIDED, Status.CONCLUDED):
            assert self.accepted
        if self.status in ACCEPTED:
            assert self.accepted

    @invariant()
    def no_withdrawal_after_decision(self) -> None:
        events = [e for _, e, _ in self.history]
        if Event.DECIDE in events:
            assert Event.WITHDRAW not in events[events.index(Event.DECIDE) :]


TestCaseMachine = CaseMachine.TestCase
TestCaseMachine.settings = settings(max_examples=200, stateful_step_count=30, deadline=None)


def test_every_state_has_a_chinese_name_and_ended_states_allow_nothing() -> None:
    """R5.7: every state reads in Chinese; ended states offer no action."""
    for s in Status:
        assert STATUS_NAMES[s]
    for s in ENDED:
        assert allowed_events(s) == []


def test_illegal_transition_names_state_and_action() -> None:
    """R6.9: a wrong-state action is a clear domain error (HTTP 409)."""
    with pytest.raises(IllegalTransition) as exc:
        next_status(Status.CONCLUDED, Event.ACCEPT)
    assert exc.value.status == 409
    assert "已办结" in exc.value.message and "受理" in exc.value.message


@given(st.lists(st.sampled_from(list(Status)), min_size=1, max_size=8))
def test_parent_concludes_only_when_every_part_has_ended(parts: list[Status]) -> None:
    """R6.5: a bundle concludes when all its parts conclude (or end)."""
    result = parent_status(parts)
    if any(p not in ENDED for p in parts):
        assert result == Status.HANDLING
    elif Status.CONCLUDED in parts:
        assert result == Status.CONCLUDED
    else:
        assert result in ENDED
