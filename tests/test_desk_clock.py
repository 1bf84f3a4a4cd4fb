"""The desk's judgements: which messages get an automatic acknowledgement, and the
24-hour free-text window. (The answer time is Odoo's resource.calendar.plan_hours,
tested in the Odoo suite.)"""

from datetime import date, datetime, timedelta, timezone

import pytest

from dental_whatsapp.tools import desk, send_policy
from tests.test_office_hours import practice_week, rome

UTC = timezone.utc
# Monday 23 to Sunday 29 November 2026, Mon-Fri 9-13 and 14-19 in Rome.
WEEK = practice_week(date(2026, 11, 23), days=14)


# ---------------------------------------------------------------------------- bare thanks
@pytest.mark.parametrize(
    "text",
    [
        "ok",
        "OK!",
        "Ok grazie",
        "Grazie mille!!",
        "👍",
        "👍🏻",
        "🙏🙏",
        "Perfetto",
        "gracias",
        "Thank you",
        "d'accordo",
    ],
)
def test_messages_that_only_acknowledge(text):
    assert desk.is_bare_acknowledgement(text)


@pytest.mark.parametrize(
    "text",
    [
        "ok ma mi fa ancora male",
        "Grazie, posso venire domani?",
        "Sì",
        "?",
        "",
        None,
        "Mi si è rotta la protesi 😢 grazie",
    ],
)
def test_messages_that_need_an_answer(text):
    assert not desk.is_bare_acknowledgement(text)


# ---------------------------------------------------------------------------- acknowledgement
def ack(now, last_ack=None, text="Posso spostare l'appuntamento?", handled=False):
    return desk.acknowledgement(
        now=now, intervals=WEEK, last_ack=last_ack, text=text, handled=handled
    )


def test_closed_means_at_once():
    assert ack(rome(2026, 11, 24, 21)) == desk.CLOSED


def test_open_means_after_the_delay():
    assert ack(rome(2026, 11, 24, 10)) == desk.BUSY


def test_once_in_12_hours():
    first = rome(2026, 11, 24, 21)
    assert ack(first + timedelta(hours=11, minutes=59), last_ack=first) is None
    assert ack(first + timedelta(hours=12), last_ack=first) == desk.BUSY


def test_never_to_a_bare_thanks_or_a_handled_reminder_answer():
    assert ack(rome(2026, 11, 24, 21), text="Grazie 🙏") is None
    assert ack(rome(2026, 11, 24, 21), text="Confermo", handled=True) is None


# ---------------------------------------------------------------------------- 24 h window
def test_free_text_needs_a_message_from_the_patient():
    assert not send_policy.window_open(None, datetime(2026, 11, 24, 9, tzinfo=UTC))


def test_the_window_closes_24_hours_after_the_patient_s_last_message():
    last = datetime(2026, 11, 24, 9, tzinfo=UTC)
    assert send_policy.window_open(last, last + timedelta(hours=23, minutes=59))
    assert not send_policy.window_open(last, last + timedelta(hours=24))
    assert not send_policy.window_open(last, last + timedelta(hours=24, minutes=1))


def facts(now, **extra):
    """What the policy is told of a consenting patient with a number, at ``now``."""
    return {
        "now": now,
        "has_number": True,
        "has_consent": True,
        "opted_out": False,
        "essential": True,
        **extra,
    }


def test_decide_refuses_free_text_outside_the_window():
    now = datetime(2026, 11, 25, 9, 1, tzinfo=UTC)
    common = facts(now)
    never = send_policy.decide(**common, is_template=False, last_inbound=None)
    assert send_policy.WINDOW_CLOSED in never.refusals
    late = send_policy.decide(
        **common, is_template=False, last_inbound=now - timedelta(hours=24, minutes=1)
    )
    assert send_policy.WINDOW_CLOSED in late.refusals
    inside = send_policy.decide(**common, is_template=False, last_inbound=now - timedelta(hours=23))
    assert inside.allowed


def test_nothing_goes_to_a_blocked_patient_not_even_an_approved_template():
    common = facts(datetime(2026, 11, 25, 9, 1, tzinfo=UTC), is_template=True)
    assert send_policy.decide(**common).allowed
    blocked = send_policy.decide(**common, blocked=True)
    assert blocked.refusals == (send_policy.BLOCKED,)
