"""Triage of patients' messages: the toothache reaches the dentist, the advance does not
pass for admin, and a polite complaint about a bill is never called hostile.

The labelled set (``tests/data/triage_messages.jsonl``) is written the way patients type
on WhatsApp in Italian, Spanish, English and Portuguese; the targets below are what the
desk needs: almost no clinical message missed, no emergency missed.
"""

import json
import pathlib
from collections import Counter

import pytest

from dental_whatsapp.tools.triage import LABELS, Triage, classify

DATA = pathlib.Path(__file__).parent / "data" / "triage_messages.jsonl"


def _rows(path: pathlib.Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


ROWS = _rows(DATA)
HELD_OUT = [
    DATA.with_name("triage_heldout.jsonl"),  # 225 messages, written before any tuning
    DATA.with_name("triage_fresh.jsonl"),  # 80 more, written after a first round
    DATA.with_name("triage_probe.jsonl"),  # 60 more, written after a second round
]


def _figures(rows=ROWS):
    """Precision and recall per label (and for ``urgent``) over a labelled set."""
    counts = Counter()
    admin_as_personal = []
    for row in rows:
        got = classify(row["text"], row["lang"])
        for name, expected, predicted in [
            *((label, row["label"] == label, got.label == label) for label in LABELS),
            ("urgent", row["urgent"], got.urgent),
        ]:
            counts[name, "tp"] += expected and predicted
            counts[name, "fp"] += predicted and not expected
            counts[name, "fn"] += expected and not predicted
        if row["label"] == "admin" and got.label in ("flirt", "hostile"):
            admin_as_personal.append((row["text"], got))
    figures = {}
    for name in (*LABELS, "urgent"):
        tp, fp, fn = counts[name, "tp"], counts[name, "fp"], counts[name, "fn"]
        figures[name] = (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)
    return figures, admin_as_personal


def test_labelled_set_is_large_and_balanced():
    assert len(ROWS) >= 320
    per_lang = Counter(row["lang"] for row in ROWS)
    assert set(per_lang) == {"it", "es", "en", "pt"}
    assert min(per_lang.values()) >= 0.2 * len(ROWS)
    per_label = Counter(row["label"] for row in ROWS)
    assert set(per_label) == set(LABELS)
    assert min(per_label.values()) >= 0.1 * len(ROWS)
    assert all(row["label"] == "clinical" for row in ROWS if row["urgent"])


def test_precision_and_recall_meet_the_desk_targets():
    figures, admin_as_personal = _figures()
    for name, (precision, recall) in figures.items():
        print(f"{name:9} precision {precision:.3f} recall {recall:.3f}")
    assert figures["clinical"][1] >= 0.95
    assert figures["clinical"][0] >= 0.85
    assert figures["urgent"][1] >= 0.95
    assert figures["flirt"][1] >= 0.9
    assert figures["hostile"][1] >= 0.85
    assert admin_as_personal == []


@pytest.mark.parametrize("path", HELD_OUT, ids=lambda path: path.stem)
def test_messages_the_rules_were_not_written_for(path):
    """Generalisation, on messages written apart from the main set, at targets a little
    below the main set's.

    ``triage_heldout.jsonl`` (225 messages, about 55 a language, 41% clinical, 35
    urgent, with negations, figures of speech, compliments, mixed intents, typos,
    dialect, emoji-only and run-ons) was written and committed before the rules or the
    main set were read. The rules as they stood then scored 195/225 exact: clinical
    precision 0.977 recall 0.924, urgent recall 0.829 (below target), flirt recall
    0.90, hostile recall 0.917, admin recall 0.731, no admin message flirt or hostile.
    The rules were then broadened (word families, shorthand, stopping and passing as
    negation, figurative body parts) with this set in view, so its 225/225 since is
    optimistic.

    ``triage_fresh.jsonl`` (80 messages) was written after that first round and
    measured before being looked at: the original rules scored 61/80 (clinical P 0.912
    R 0.861, urgent R 0.833, flirt R 0.75, hostile R 0.75), the first round 67/80
    (clinical P 0.919 R 0.944, urgent R 0.944, flirt and hostile R 0.75). A second round
    took it to 80/80; it too is now a set the rules have seen.

    ``triage_probe.jsonl`` (60 messages) was written after that second round and
    measured before being looked at: the original rules 44/60, the broadened ones 45/60
    (clinical R 0.70, urgent R 0.75, flirt R 0.50, hostile R 0.625): word lists alone
    barely generalise. A message naming a tooth in words no list has is now clinical
    (48/60, clinical R 0.90), and a third round of word families took it to 60/60. Expect
    fresh messages to score well below the figures on these sets.
    """
    rows = _rows(path)
    assert len(rows) >= 60
    assert all(row["label"] == "clinical" for row in rows if row["urgent"])
    figures, admin_as_personal = _figures(rows)
    for name, (precision, recall) in figures.items():
        print(f"{path.stem} {name:9} precision {precision:.3f} recall {recall:.3f}")
    assert figures["clinical"][1] >= 0.9
    assert figures["clinical"][0] >= 0.8
    assert figures["urgent"][1] >= 0.85
    assert figures["flirt"][1] >= 0.8
    assert figures["hostile"][1] >= 0.75
    assert admin_as_personal == []


def test_a_set_the_rules_have_never_been_tuned_on():
    """``triage_probe2.jsonl`` (40 messages) was written after the last round of rules
    and is kept untuned so that it stays a real measurement: do not change the rules
    for it. Measured once: the original rules 25/40 exact (clinical P 1.0 R 0.60,
    urgent R 0.75, flirt R 0.25, hostile R 0.50), the current ones 30/40 (clinical P 1.0
    R 0.95, urgent R 0.75, flirt R 0.25, hostile R 0.50, admin P 0.86 R 0.75). Only
    what the desk cannot do without is asserted: clinical messages reach the dentist,
    and no booking passes for an advance or a complaint.
    """
    rows = _rows(DATA.with_name("triage_probe2.jsonl"))
    figures, admin_as_personal = _figures(rows)
    for name, (precision, recall) in figures.items():
        print(f"triage_probe2 {name:9} precision {precision:.3f} recall {recall:.3f}")
    assert figures["clinical"][1] >= 0.9
    assert figures["clinical"][0] >= 0.8
    assert admin_as_personal == []


def test_held_out_set_is_large_and_covers_every_language_and_label():
    rows = _rows(HELD_OUT[0])
    assert len(rows) >= 200
    per_lang = Counter(row["lang"] for row in rows)
    assert set(per_lang) == {"it", "es", "en", "pt"}
    assert min(per_lang.values()) >= 50
    assert set(Counter(row["label"] for row in rows)) == set(LABELS)
    assert sum(row["label"] == "clinical" for row in rows) >= 0.35 * len(rows)


@pytest.mark.parametrize(
    ("text", "lang", "label", "urgent"),
    [
        # several intents: the clinical part wins
        ("devo spostare l'appuntamento perché ho la faccia gonfia", "it", "clinical", False),
        ("quería pagar la factura pero me duele la muela", "es", "clinical", False),
        # negated symptoms and figures of speech are not clinical
        ("non ho più dolore, grazie", "it", "other", False),
        ("ya no me duele nada, gracias", "es", "other", False),
        ("all good, no swelling no bleeding", "en", "other", False),
        ("mi fa male pagare così tanto", "it", "admin", False),
        ("my heart hurts that summer is over", "en", "other", False),
        # "I don't know if" is doubt, not absence
        ("no sé si es caries pero me duele un poco", "es", "clinical", False),
        ("scusi il disturbo, mi serve la fattura", "it", "admin", False),
        # compliments on skill are not advances; advances are
        ("il dottore è bravissimo", "it", "other", False),
        ("la tua collega è single?", "it", "flirt", False),
        ("sei bellissima", "it", "flirt", False),
        ("usciamo a cena?", "it", "flirt", False),
        ("vc é linda demais", "pt", "flirt", False),
        # a polite dispute about a bill is admin, insults and threats are hostile
        ("ho fatto il bonifico ma mi è arrivato un sollecito, non è giusto", "it", "admin", False),
        ("vi denuncio", "it", "hostile", False),
        ("siete dei ladri", "it", "hostile", False),
        ("ladrones", "es", "hostile", False),
        ("vergognatevi", "it", "hostile", False),
        ("NESSUNO RISPONDE AL TELEFONO!!!", "it", "hostile", False),
        # typos, abbreviations, no accents
        ("xke mi fa ancora male?? nn dormo", "it", "clinical", False),
        ("q dolor de muela pls ayuda", "es", "clinical", False),
        ("vc pode ver meu dente? ta doendo tmb", "pt", "clinical", False),
        # a symptom that stopped or passed is absent; one that keeps you awake is not
        ("o dente parou de doer, obrigada", "pt", "other", False),
        ("il dolore è passato, grazie", "it", "other", False),
        ("non ho dormito per il dolore", "it", "clinical", False),
        ("my baby tooth fell out", "en", "clinical", False),
        # a goodbye names a day without booking; availability for a booking is admin
        ("see you friday!", "en", "other", False),
        ("are you free at 3 tomorrow? need a cleaning", "en", "admin", False),
        ("my back is killing me from those chairs, can i get a receipt", "en", "admin", False),
    ],
)
def test_hard_cases(text, lang, label, urgent):
    got = classify(text, lang)
    assert (got.label, got.urgent) == (label, urgent), got.cues


@pytest.mark.parametrize(
    "text",
    [
        "la guancia è gonfia fino all'occhio",
        "me cuesta tragar y tengo la cara hinchada",
        "still bleeding after the extraction even with gauze",
        "tenho febre e a gengiva inchada",
        "my son fell and knocked his front tooth out",
        "tomei dipirona e a dor nao passa",
    ],
)
def test_emergencies_are_urgent_without_a_language(text):
    got = classify(text)
    assert got.label == "clinical"
    assert got.urgent, got.cues


def test_cues_show_the_dentist_why():
    got = classify("ho la febbre e la gengiva gonfia", "it")
    assert got == Triage("clinical", True, got.cues)
    assert {"gonfia", "febbre"} <= set(got.cues)
    assert classify("grazie mille", "it").cues == ()


def test_a_language_code_with_region_uses_that_language():
    assert classify("me duele la muela", "es_ES").label == "clinical"
    assert classify("", None) == Triage("other", False, ())
