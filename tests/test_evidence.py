"""The evidence chain (dental_whatsapp/tools/evidence.py): what the dentist shows a
lawyer must show any change, removal or reordering of a message."""

import hashlib
from datetime import datetime, timedelta, timezone

import pytest

from dental_whatsapp.tools import evidence


def _entries(count=4):
    start = datetime(2026, 11, 24, 9, 0)
    return [
        {
            "seq": index + 1,
            "id": 100 + index,
            "direction": "in" if index % 2 == 0 else "out",
            "time": start + timedelta(minutes=index),
            "body": f"message {index}",
            "author": None if index % 2 == 0 else 7,
            "media": [],
        }
        for index in range(count)
    ]


def test_canonical_is_sorted_compact_utf8_with_utc_times():
    entry = {"b": 1, "a": "è", "when": datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)}
    assert evidence.canonical(entry) == '{"a":"è","b":1,"when":"2026-11-24T10:00:00Z"}'.encode()
    naive = {"when": datetime(2026, 11, 24, 10, 0)}
    rome = timezone(timedelta(hours=1))
    aware = {"when": datetime(2026, 11, 24, 11, 0, tzinfo=rome)}
    assert evidence.canonical(naive) == evidence.canonical(aware)


def test_floats_and_unknown_types_are_refused():
    with pytest.raises(TypeError):
        evidence.canonical({"amount": 1.5})
    with pytest.raises(TypeError):
        evidence.canonical({"x": object()})
    with pytest.raises(TypeError):
        evidence.canonical({1: "not a string key"})


def test_seal_is_sha256_over_the_previous_seal_and_the_entry():
    entry = {"id": 1, "body": "hi"}
    expected = hashlib.sha256(evidence.GENESIS.encode() + evidence.canonical(entry)).hexdigest()
    assert evidence.seal(evidence.GENESIS, entry) == expected
    assert len(evidence.GENESIS) == 64
    with pytest.raises(ValueError):
        evidence.seal("short", entry)


def test_an_intact_chain_verifies():
    entries = _entries()
    hashes = evidence.chain(entries)
    result = evidence.verify(entries, hashes)
    assert result.intact
    assert result.count == 4
    assert result.last_hash == hashes[-1]
    assert result.first is None
    assert evidence.verify([], []).intact


def test_a_changed_body_names_that_message_and_breaks_the_ones_after():
    entries = _entries()
    hashes = evidence.chain(entries)
    entries[1]["body"] = "message 1, rewritten"
    result = evidence.verify(entries, hashes)
    assert not result.intact
    assert (result.first, result.reason) == (1, "differs")
    assert result.tampered == [1], "only the changed message fails its own seal"
    assert result.broken == [2, 3]


def test_a_removed_message_is_reported_missing():
    entries = _entries()
    hashes = evidence.chain(entries)
    del entries[2], hashes[2]
    result = evidence.verify(entries, hashes)
    assert not result.intact
    assert (result.first, result.reason) == (2, "missing")
    assert result.broken == []


def test_a_removed_message_without_positions_still_shows():
    entries = [{k: v for k, v in e.items() if k != "seq"} for e in _entries()]
    hashes = evidence.chain(entries)
    del entries[1], hashes[1]
    result = evidence.verify(entries, hashes)
    assert (result.first, result.reason) == (1, "differs")


def test_reordered_messages_show():
    entries = _entries()
    hashes = evidence.chain(entries)
    entries[1], entries[2] = entries[2], entries[1]
    hashes[1], hashes[2] = hashes[2], hashes[1]
    result = evidence.verify(entries, hashes)
    assert not result.intact
    assert (result.first, result.reason) == (1, "order")
    assert result.tampered == [1, 2, 3], "the one after no longer follows its neighbour"


def test_a_non_ascii_body_is_sealed_as_utf8():
    entries = _entries(2)
    entries[0]["body"] = "Buongiorno, è urgente 😬 — ¿mañana?"
    hashes = evidence.chain(entries)
    assert evidence.verify(entries, hashes).intact
    assert "è urgente 😬".encode() in evidence.canonical(entries[0])
    entries[0]["body"] = "Buongiorno, e urgente 😬 — ¿mañana?"
    assert evidence.verify(entries, hashes).first == 0


def test_a_changed_seal_shows_and_a_count_mismatch_too():
    entries = _entries()
    hashes = evidence.chain(entries)
    forged = [*hashes[:3], "f" * 64]
    assert evidence.verify(entries, forged).first == 3
    assert evidence.verify(entries, hashes[:3]).reason == "count"
