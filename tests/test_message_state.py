"""The message state machine: forward only, final states final, cancel only a queued one."""

import itertools

import pytest

from dental_whatsapp.tools.message_state import can_move

STATES = (
    "queued",
    "sending",
    "unknown",
    "sent",
    "delivered",
    "read",
    "failed",
    "received",
    "cancelled",
)
ALLOWED = {
    ("queued", "sending"),
    ("sending", "sent"),
    ("sending", "delivered"),
    ("sending", "read"),
    ("sending", "failed"),
    ("sending", "unknown"),
    ("sending", "queued"),
    ("unknown", "sent"),
    ("unknown", "delivered"),
    ("unknown", "read"),
    ("unknown", "failed"),
    ("unknown", "queued"),
    ("queued", "sent"),
    ("queued", "delivered"),
    ("queued", "read"),
    ("queued", "failed"),
    ("queued", "cancelled"),
    ("sent", "delivered"),
    ("sent", "read"),
    ("sent", "failed"),
    ("delivered", "read"),
}


@pytest.mark.parametrize("old,new", list(itertools.product(STATES, STATES)))
def test_every_transition_is_in_the_table(old, new):
    assert can_move(old, new) == ((old, new) in ALLOWED)


def test_a_late_delivered_after_read_changes_nothing():
    assert not can_move("read", "delivered")


def test_a_sent_message_can_no_longer_be_withdrawn():
    assert not can_move("sent", "cancelled")


def test_a_message_that_may_have_left_cannot_be_withdrawn():
    assert not can_move("sending", "cancelled")
    assert not can_move("unknown", "cancelled")


def test_a_late_status_settles_an_unknown_outcome_but_nothing_goes_back_to_it():
    assert can_move("unknown", "delivered")
    assert not can_move("sent", "unknown")
    assert not can_move("sent", "queued")
