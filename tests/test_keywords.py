"""Opt-out keywords: a message that is the keyword stops messages, a sentence never does."""

import pytest

from dental_whatsapp.tools.keywords import (
    DEFAULT_OPT_IN_KEYWORDS,
    DEFAULT_OPT_OUT_KEYWORDS,
    is_opt_in,
    is_opt_out,
    matched_keyword,
    normalize_text,
    parse_keywords,
)

OPT_OUTS = [
    "STOP",
    "stop",
    "Stop.",
    "STOP!!",
    "  stop  ",
    "stop please",
    "Please stop",
    "STOP, thank you",
    "Stop 🛑",
    "🙏 stop 🙏",
    "stop stop",
    "Basta",
    "basta grazie",
    "BASTA, per favore",
    "Basta!!!",
    "Ciao, basta",
    "Cancella",
    "cancella grazie",
    "Disiscrivi",
    "disiscrivi per favore",
    "BAJA",
    "Baja, por favor",
    "baja gracias",
    "ALTO",
    "¡Alto!",
    "Parar",
    "párar",
    "Unsubscribe",
    "unsubscribe thanks",
    "STÓP",
    "\uff33\uff34\uff2f\uff30",  # full-width letters
    "Stop\n",
    "basta stop",
]

NOT_OPT_OUTS = [
    "non posso fermarmi, stop al semaforo",
    "alto dolore al dente",
    "la baja de la muela",
    "Ho un dolore alto a destra",
    "basta così per oggi, grazie dottore",
    "Basta?",
    "¿Alto?",
    "Stop?",
    "cancella l'appuntamento di martedì",
    "Please don't stop the treatment",
    "non stop",
    "stopp",
    "stopped",
    "bastante bien",
    "Altopiano",
    "grazie",
    "per",
    "",
    None,
    "   ",
    "🛑",
    "STOP 2",
    "stop the reminders for my son only",
    "Estoy de baja por enfermedad",
    "Alto y claro",
]


@pytest.mark.parametrize("text", OPT_OUTS, ids=repr)
def test_opt_out(text):
    assert is_opt_out(text)


@pytest.mark.parametrize("text", NOT_OPT_OUTS, ids=repr)
def test_not_opt_out(text):
    assert not is_opt_out(text)


def test_enough_cases():
    assert len(OPT_OUTS) + len(NOT_OPT_OUTS) >= 30


def test_defaults_include_the_keywords_the_practice_was_promised():
    # Italian, Spanish and English patients' usual words (issue: STOP, BASTA, CANCELLA,
    # BAJA, ALTO at least); each must work on its own as a whole message.
    for word in ("STOP", "BASTA", "CANCELLA", "BAJA", "ALTO"):
        assert word in DEFAULT_OPT_OUT_KEYWORDS
        assert is_opt_out(word.lower() + "!")
    assert {"START", "ISCRIVI", "ALTA"} <= set(DEFAULT_OPT_IN_KEYWORDS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  STÒP!! 🛑 ", "stop"),
        ("Perché   NON\tposso?", "perche non posso"),
        ("l'appuntamento", "l appuntamento"),
        ("Cariño, ¿qué tal?", "carino que tal"),
        ("Não posso", "nao posso"),
        ("Straße", "strasse"),
        ("snake_case", "snake case"),
        ("👍🏽", ""),
        (None, ""),
    ],
)
def test_normalize_text(text, expected):
    assert normalize_text(text) == expected


def test_parse_keywords_from_an_admin_setting():
    assert parse_keywords("STOP, Basta\nBAJA;  Dar de BAJA ,, stop\n") == (
        "stop",
        "basta",
        "baja",
        "dar de baja",
    )
    assert parse_keywords("") == ()
    assert parse_keywords(None) == ()


def test_custom_keywords_replace_the_defaults():
    custom = parse_keywords("NO MORE, dar de baja")
    assert is_opt_out("No more, thanks!", custom)
    assert is_opt_out("Dar de baja por favor", custom)
    assert not is_opt_out("STOP", custom)
    assert not is_opt_out("baja", custom)
    assert not is_opt_out("no more cavities please", custom)


def test_matched_keyword_names_the_word_for_the_log():
    assert matched_keyword("Basta grazie!", DEFAULT_OPT_OUT_KEYWORDS) == "basta"
    assert matched_keyword("alto dolore", DEFAULT_OPT_OUT_KEYWORDS) is None


@pytest.mark.parametrize("text", ["START", "start please", "Iscrivi", "ALTA", "alta, gracias"])
def test_opt_in(text):
    assert is_opt_in(text)
    assert not is_opt_out(text)


@pytest.mark.parametrize("text", ["start the treatment?", "ho la pressione alta", "STOP"])
def test_not_opt_in(text):
    assert not is_opt_in(text)
