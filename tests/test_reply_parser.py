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


# Issue 16: a question (or "instead") proposing another day or time is a reschedule.
PROPOSALS = [
    # Italian
    ("it-possiamo-invece", "Possiamo fare martedì invece?"),
    ("it-potremmo-pomeriggio", "Potremmo giovedì pomeriggio?"),
    ("it-si-potrebbe-alle", "Si potrebbe fare alle 10?"),
    ("it-sarebbe-possibile", "Sarebbe possibile la settimana prossima"),
    ("it-avete-posto", "Avete posto venerdì mattina?"),
    ("it-posso-venire-ore", "Posso venire alle 9.30?"),
    ("it-va-bene-invece", "Va bene giovedì invece?"),
    ("it-non-vengo-possiamo", "Non vengo martedì, possiamo giovedì?"),
    # Spanish
    ("es-podria-ser-tarde", "¿Podría ser por la tarde?"),
    ("es-podemos-jueves", "¿Podemos el jueves?"),
    ("es-que-tal-lunes", "¿Qué tal el lunes a las 5?"),
    ("es-puede-ser-martes", "¿Puede ser el martes?"),
    ("es-en-vez", "Mejor el miércoles en vez del lunes"),
    ("es-semana-que-viene", "¿Sería posible la semana que viene?"),
    # English
    ("en-instead", "Can we do Tuesday instead?"),
    ("en-could-we-next-week", "Could we make it next week"),
    ("en-how-about", "How about Friday morning?"),
    ("en-possible-5pm", "Is it possible at 5pm?"),
    ("en-do-you-have", "Do you have anything on Monday?"),
    # Portuguese
    ("pt-pode-ser-terca", "Pode ser na terça?"),
    ("pt-podemos-quinta", "Podemos na quinta de manhã?"),
    ("pt-que-tal-sexta", "Que tal sexta às 10h?"),
    ("pt-da-para-amanha", "Dá para amanhã à tarde?"),
    ("pt-em-vez", "Em vez de segunda, terça"),
]

# Issue 16: a definite "I'm not coming (any more)" is a cancellation.
NOT_COMING = [
    ("it-non-vengo", "Non vengo"),
    ("it-non-vengo-piu", "Non vengo più, grazie"),
    ("it-mi-dispiace-ma", "Mi dispiace, ma non verrò"),
    ("it-no-non-ci-vengo", "No, non ci vengo"),
    ("es-no-voy-a-ir", "No voy a ir"),
    ("es-ya-no-voy", "Ya no voy, gracias"),
    ("es-no-vendre", "No vendré, lo siento"),
    ("es-pero-no-ire", "Lo siento, pero no iré"),
    ("en-im-not-coming", "I'm not coming"),
    ("en-wont-be-coming", "I won't be coming anymore, sorry"),
    ("en-not-coming", "Not coming tomorrow"),
    ("en-wont-come", "Sorry, I won't come"),
    ("pt-nao-vou", "Não vou"),
    ("pt-nao-vou-mais", "Não vou mais"),
    ("pt-nao-vou-comparecer", "Não vou comparecer, desculpe"),
    ("pt-nao-irei", "Não irei amanhã"),
]

# Issue 16 guards: none of these may confirm, and none of them cancels.
ISSUE_16_GUARDS = [
    # a question about the booking itself proposes nothing
    ("it-confermato-per-martedi-q", "è confermato per martedì?", UNCLEAR),
    ("it-domani-q", "Domani?", UNCLEAR),
    ("es-es-el-martes-q", "¿Es el martes?", UNCLEAR),
    ("es-manana-a-las-q", "¿Es mañana a las 10?", UNCLEAR),
    ("en-still-on-tuesday-q", "Is it still on Tuesday?", UNCLEAR),
    ("en-tomorrow-at-10-q", "Is it tomorrow at 10?", UNCLEAR),
    ("pt-amanha-as-10-q", "É amanhã às 10?", UNCLEAR),
    ("it-possiamo-statement", "Possiamo venire entrambi giovedì", UNCLEAR),
    # asked, hedged or conditional "not coming"
    ("it-non-vengo-q", "Non vengo?", UNCLEAR),
    ("it-forse-non-vengo", "forse non vengo", UNCLEAR),
    ("it-credo-non-vengo", "credo che non vengo", UNCLEAR),
    ("it-se-non-vengo", "se non vengo vi avviso", UNCLEAR),
    ("it-non-vengo-ma", "Non vengo martedì ma giovedì", UNCLEAR),
    ("it-non-vengo-si-puo-q", "Non vengo, si può fare un'altra volta?", UNCLEAR),
    ("es-no-voy-a-ir-q", "¿No voy a ir?", UNCLEAR),
    ("es-quizas-no-ire", "Quizás no iré", UNCLEAR),
    ("es-no-voy-a-faltar", "No voy a faltar", UNCLEAR),
    ("en-not-coming-q", "I'm not coming?", UNCLEAR),
    ("en-maybe-not-coming", "Maybe I'm not coming", UNCLEAR),
    ("en-if-not-coming", "If I'm not coming I'll call", UNCLEAR),
    ("pt-nao-vou-q", "Não vou?", UNCLEAR),
    ("pt-acho-nao-vou", "Acho que não vou", UNCLEAR),
    ("pt-nao-vou-chegar", "Não vou chegar a tempo", RESCHEDULE),
    ("pt-nao-vou-faltar", "Sim, não vou faltar", RESCHEDULE),
    # moving wins over not coming; inability stays a reschedule
    ("it-non-vengo-spostare", "non vengo, devo spostare", RESCHEDULE),
    ("en-not-coming-reschedule", "Not coming, I need to reschedule", RESCHEDULE),
    ("it-non-posso-venire", "Non posso venire", RESCHEDULE),
    ("es-no-puedo-ir", "No puedo ir", RESCHEDULE),
    ("en-cant-make-it-tuesday", "I can't make it on Tuesday", RESCHEDULE),
    ("pt-nao-posso-ir", "Não posso ir amanhã", RESCHEDULE),
    # an opener argues against a confirmation
    ("it-si-si-potrebbe", "sì, si potrebbe", UNCLEAR),
    ("it-si-si-puo-q", "Sì, si può?", UNCLEAR),
    ("es-si-puede-ser", "Sí, puede ser", UNCLEAR),
    ("en-yes-can-we-q", "Yes, can we come both?", UNCLEAR),
    ("pt-sim-pode-ser", "Sim, pode ser", UNCLEAR),
    ("es-hola-que-tal-confirmo", "Hola, ¿qué tal? Sí, confirmo", UNCLEAR),
]

# A day or a time alone argues neither way; "a domani" and "hasta mañana" are a "yes".
STILL_CONFIRMS = [
    ("it-a-domani", "A domani"),
    ("it-ci-vediamo-martedi-alle", "Sì, ci vediamo martedì alle 10"),
    ("es-hasta-manana", "Hasta mañana"),
    ("es-vale-hasta-manana", "Vale, hasta mañana por la tarde"),
    ("en-see-you-tomorrow-at", "Yes, see you tomorrow at 10"),
    ("pt-ate-amanha", "Até amanhã"),
    ("pt-ate-amanha-manha", "Combinado, até amanhã de manhã"),
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


@pytest.mark.parametrize(("case", "text"), PROPOSALS, ids=_ids(PROPOSALS))
def test_proposal_of_another_day_or_time_reschedules(case, text):
    assert parse_reply(text).intent == RESCHEDULE


@pytest.mark.parametrize(("case", "text"), NOT_COMING, ids=_ids(NOT_COMING))
def test_definite_not_coming_cancels(case, text):
    assert parse_reply(text).intent == CANCEL


@pytest.mark.parametrize(("case", "text", "intent"), ISSUE_16_GUARDS, ids=_ids(ISSUE_16_GUARDS))
def test_issue_16_guards(case, text, intent):
    reply = parse_reply(text)
    assert reply.intent not in (CONFIRM, CANCEL)
    assert reply.intent == intent


@pytest.mark.parametrize(("case", "text"), STILL_CONFIRMS, ids=_ids(STILL_CONFIRMS))
def test_a_day_or_a_time_alone_still_confirms(case, text):
    assert parse_reply(text).intent == CONFIRM


def test_proposals_and_not_coming_name_the_deciding_phrase():
    assert parse_reply("Possiamo fare martedì invece?") == Reply(RESCHEDULE, "martedi")
    assert parse_reply("Is it possible at 5pm?") == Reply(RESCHEDULE, "at 5pm")
    assert parse_reply("Non vengo più") == Reply(CANCEL, "non vengo piu")
    assert parse_reply("forse non vengo") == Reply(UNCLEAR, "forse")


def test_each_language_has_proposals_and_not_coming():
    for language in ("it", "es", "en", "pt"):
        assert sum(case.startswith(language) for case, _ in PROPOSALS) >= 4
        assert sum(case.startswith(language) for case, _ in NOT_COMING) >= 3


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
