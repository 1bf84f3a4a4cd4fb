"""Patients' answers to a reminder: only an unambiguous "yes" confirms the appointment."""

import pytest

from dental_whatsapp.tools.reply_parser import (
    CANCEL,
    CONFIRM,
    LEXICON,
    RESCHEDULE,
    UNCLEAR,
    Reply,
    parse_reply,
)

CONFIRMS = [
    # Italian
    ("it-confermo", "Confermo"),
    ("it-si-accent", "Sì"),
    ("it-si-plain", "si"),
    ("it-ok", "OK"),
    ("it-ok-grazie", "Ok grazie, a domani!"),
    ("it-va-bene", "va bene"),
    ("it-ci-saro", "Ci sarò, grazie"),
    ("it-si-si", "Sì sì"),
    ("it-perfetto", "Perfetto 👍"),
    ("it-certo", "Certo, nessun problema"),
    ("it-daccordo", "d'accordo"),
    ("it-non-ce-problema", "Non c'è problema, ci sarò"),
    ("it-non-si-preoccupi", "Non si preoccupi, ci sarò"),
    ("it-confermo-question-after", "Confermo. Devo portare le lastre?"),
    ("it-c", "C"),
    ("it-ci-vediamo", "Ci vediamo domani"),
    # Spanish
    ("es-confirmo", "Confirmo"),
    ("es-si", "Sí, gracias"),
    ("es-vale", "Vale"),
    ("es-perfecto", "¡Perfecto!"),
    ("es-alli-estare", "Allí estaré"),
    ("es-de-acuerdo", "De acuerdo, hasta mañana"),
    ("es-no-hay-problema", "Sí, no hay problema"),
    # English
    ("en-yes", "Yes"),
    ("en-ill-be-there", "I'll be there"),
    ("en-ill-be-there-curly", "I\u2019ll be there!"),
    ("en-confirmed", "confirmed"),
    ("en-see-you", "Yes, see you tomorrow"),
    ("en-no-problem", "No problem, I'll be there"),
    # Portuguese
    ("pt-sim", "Sim"),
    ("pt-confirmo-obrigado", "confirmo, obrigado"),
    ("pt-estarei-la", "Estarei lá"),
    ("pt-tudo-bem", "Tudo bem, até amanhã"),
]

RESCHEDULES = [
    ("it-non-posso", "Non posso"),
    ("it-devo-spostare", "devo spostare l'appuntamento"),
    ("it-posso-spostare-q", "Posso spostare?"),
    ("it-cambiare-orario", "possiamo cambiare orario?"),
    ("it-si-ma-spostare", "sì ma devo spostare"),
    ("it-si-pero-non-posso", "sì, però non posso"),
    ("it-no-non-posso", "No, non posso venire"),
    ("it-non-posso-confermare", "non posso confermare"),
    ("it-imprevisto", "Ho avuto un imprevisto"),
    ("it-rimandare", "Possiamo rimandare a giovedì?"),
    ("es-no-puedo", "No puedo"),
    ("es-cambiar-la-cita", "¿Puedo cambiar la cita?"),
    ("es-otro-dia", "Mejor otro día"),
    ("en-move", "Can we move it to Friday?"),
    ("en-reschedule", "I need to reschedule"),
    ("en-cant-make-it", "Sorry, I can't make it"),
    ("pt-nao-posso", "Não posso"),
    ("pt-remarcar", "Preciso remarcar"),
    ("pt-nao-posso-remarcar", "Não posso ir, podemos remarcar?"),
    ("mixed-cancel-and-move", "Annullo e ne prendo un altro giorno"),
]

CANCELS = [
    ("it-cancella", "Cancella"),
    ("it-annulla", "annulla per favore"),
    ("it-disdico", "Disdico l'appuntamento"),
    ("it-ok-cancella", "ok, cancellate pure"),
    ("it-no-cancella", "No, annullate"),
    ("it-non-vengo-annullo", "Non vengo più, annullo"),
    ("es-cancelar", "Quiero cancelar"),
    ("es-anular", "anular la cita"),
    ("en-cancel", "Please cancel"),
    ("en-cancel-appointment", "I want to cancel my appointment"),
    ("pt-cancelar", "cancelar a consulta"),
    ("pt-desmarcar", "Quero desmarcar"),
]

# Ambiguous, negated or mixed: none of these may confirm.
NOT_CONFIRMS = [
    ("it-non-confermo", "non confermo", UNCLEAR),
    ("it-ok-no", "ok no", UNCLEAR),
    ("it-no", "no", UNCLEAR),
    ("it-no-grazie", "No, grazie", UNCLEAR),
    ("it-forse", "forse", UNCLEAR),
    ("it-non-so", "non so", UNCLEAR),
    ("it-forse-si", "Forse sì", UNCLEAR),
    ("it-confermo-q-devo-vedere", "confermo? devo vedere", UNCLEAR),
    ("it-e-confermato-q", "è confermato?", UNCLEAR),
    ("it-si-q", "Sì?", UNCLEAR),
    ("it-ok-confermato-q", "Ok. È confermato?", UNCLEAR),
    ("it-si-ma-tardi", "Sì, ma arrivo 10 minuti in ritardo", UNCLEAR),
    ("it-non-va-bene", "non va bene", UNCLEAR),
    ("it-non-ci-saro", "Non ci sarò", RESCHEDULE),
    ("it-credo-di-si", "credo di sì", UNCLEAR),
    ("it-okkupato", "okkupato", UNCLEAR),
    ("it-sicuro", "sicuro", UNCLEAR),
    ("it-si-e-rotto", "Si è rotto un dente", UNCLEAR),
    ("it-annullato-q", "L'appuntamento è stato annullato?", UNCLEAR),
    ("it-forse-annullo", "forse annullo", UNCLEAR),
    ("it-non-annullate-confermo", "non annullate, confermo", UNCLEAR),
    ("it-non-voglio-spostare", "non voglio spostare", UNCLEAR),
    ("es-no-confirmo", "No confirmo", UNCLEAR),
    ("es-no-se", "No sé", UNCLEAR),
    ("es-quizas", "Quizás", UNCLEAR),
    ("es-confirmado-q", "¿Está confirmado?", UNCLEAR),
    ("es-si-pero", "Sí, pero llego tarde", UNCLEAR),
    ("en-not-sure", "Not sure yet", UNCLEAR),
    ("en-maybe", "maybe", UNCLEAR),
    ("en-yes-but", "Yes but I might be late", UNCLEAR),
    ("en-dont-confirm", "I don't confirm", UNCLEAR),
    ("en-cancel-q", "Can you cancel it?", UNCLEAR),
    ("pt-nao-sei", "Não sei", UNCLEAR),
    ("pt-talvez", "talvez", UNCLEAR),
    ("pt-nao-obrigado", "Não, obrigado", UNCLEAR),
    ("emoji-thumbs-up", "👍", UNCLEAR),
    ("emoji-thumbs-up-skin", "👍🏽", UNCLEAR),
    ("emoji-check", "✅", UNCLEAR),
    ("empty", "", UNCLEAR),
    ("none", None, UNCLEAR),
    ("spaces", "   ", UNCLEAR),
    ("c-question", "C?", UNCLEAR),
    ("unrelated", "Buongiorno, a che ora apre lo studio?", UNCLEAR),
]


def _ids(cases):
    return [case[0] for case in cases]


def test_enough_phrasings():
    total = len(CONFIRMS) + len(RESCHEDULES) + len(CANCELS) + len(NOT_CONFIRMS)
    assert total >= 70
    assert len(NOT_CONFIRMS) >= 20


@pytest.mark.parametrize(("case", "text"), CONFIRMS, ids=_ids(CONFIRMS))
def test_confirm(case, text):
    assert parse_reply(text).intent == CONFIRM


@pytest.mark.parametrize(("case", "text"), RESCHEDULES, ids=_ids(RESCHEDULES))
def test_reschedule(case, text):
    assert parse_reply(text).intent == RESCHEDULE


@pytest.mark.parametrize(("case", "text"), CANCELS, ids=_ids(CANCELS))
def test_cancel(case, text):
    assert parse_reply(text).intent == CANCEL


@pytest.mark.parametrize(("case", "text", "intent"), NOT_CONFIRMS, ids=_ids(NOT_CONFIRMS))
def test_never_confirms(case, text, intent):
    reply = parse_reply(text)
    assert reply.intent != CONFIRM
    assert reply.intent == intent


@pytest.mark.parametrize(
    ("payload", "intent"),
    [
        ("CONFIRM", CONFIRM),
        ("confirm", CONFIRM),
        ("Reschedule", RESCHEDULE),
        ("CANCEL", CANCEL),
        ("dwa:confirm:4711", CONFIRM),
        ("DWA:RESCHEDULE:calendar.event,12", RESCHEDULE),
        ("dwa:cancel", CANCEL),
    ],
)
def test_quick_reply_payload_wins_over_the_text(payload, intent):
    assert parse_reply("non so, forse", payload) == Reply(intent, payload)
    assert parse_reply(None, payload).intent == intent


@pytest.mark.parametrize("payload", ["Unsubscribe", "dwa:", "dwa:maybe:1", "confirmed", ""])
def test_unknown_payload_falls_back_to_the_text(payload):
    assert parse_reply("Confermo", payload).intent == CONFIRM
    assert parse_reply("forse", payload).intent == UNCLEAR


def test_matched_names_the_deciding_phrase():
    assert parse_reply("Sì, ci sarò") == Reply(CONFIRM, "si")
    assert parse_reply("sì ma devo spostare") == Reply(RESCHEDULE, "spostare")
    assert parse_reply("Please cancel") == Reply(CANCEL, "cancel")
    assert parse_reply("ok no") == Reply(UNCLEAR, "no")
    assert parse_reply("👍") == Reply(UNCLEAR, None)
    assert parse_reply("I can't make it").matched == "can t make it"


def test_single_letters_only_count_alone():
    assert parse_reply("c").intent == CONFIRM
    assert parse_reply("c'è traffico").intent == UNCLEAR


def test_lexicon_phrases_are_normalised_token_tuples():
    assert ("ci", "saro") in LEXICON
    assert ("non", "posso") in LEXICON
    assert all(all(token == token.casefold() for token in phrase) for phrase in LEXICON)
