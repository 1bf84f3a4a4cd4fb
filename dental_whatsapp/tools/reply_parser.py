"""What a patient means when answering an appointment reminder.

:func:`parse_reply` returns :data:`CONFIRM`, :data:`RESCHEDULE`, :data:`CANCEL` or
:data:`UNCLEAR`. It is deliberately conservative: confirming an appointment the patient
did not confirm costs a chair hour, so anything ambiguous is :data:`UNCLEAR` and left to
the receptionist, who sees every reply anyway.

Rules, in order:

1. A quick-reply button payload wins over the text: ``CONFIRM`` / ``RESCHEDULE`` /
   ``CANCEL`` (any case), or our namespaced form ``dwa:<intent>[:<anything>]``.
2. Free text (Italian, Spanish, English, Portuguese) is normalised (casefold, accents
   and punctuation removed) and matched phrase by phrase on whole words, longest phrase
   first: "okkupato" is not "ok", "sicuro" is not "si", "non posso" is one phrase.
3. An explicit request to move the appointment wins ("sì ma devo spostare").
   An explicit cancellation comes next, unless it is asked as a question ("è stato
   annullato?") or hedged ("forse annullo"): a cancellation frees the slot, so it must be
   a statement. "I can't come" without a verb for moving or cancelling is a reschedule
   request: the practice calls back either way.
4. A confirmation counts only when nothing else in the message argues against it: no
   negation ("non confermo", "ok no"), no doubt ("forse", "non so"), no "but"
   ("sì, ma arrivo tardi"), and not inside a question ("è confermato?").
5. Emoji carry no intent: "👍" alone is UNCLEAR. In a dental practice a thumbs-up can
   mean "got it" as easily as "I will come", and the project wants no emoji to confirm
   an appointment on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .keywords import normalize_text

CONFIRM = "confirm"
RESCHEDULE = "reschedule"
CANCEL = "cancel"
UNCLEAR = "unclear"
INTENTS = (CONFIRM, RESCHEDULE, CANCEL)
PAYLOAD_NAMESPACE = "dwa"


@dataclass(frozen=True)
class Reply:
    intent: str
    matched: str | None = None  # the phrase (or payload) that decided, for the log


# Kinds of phrase, internal to the parser.
_YES, _MOVE, _CANT, _CANCEL, _NEG, _DOUBT, _BUT, _NEUTRAL = (
    "yes", "move", "cant", "cancel", "neg", "doubt", "but", "neutral",
)  # fmt: skip

# Phrases as the patient writes them, comma-separated; normalised when the module loads.
# Per language so a native speaker can review them; a phrase may appear in several
# languages, always with the same kind.
PHRASES = {
    _YES: {
        "it": (
            "sì, confermo, confermato, confermata, confermiamo, confermare, conferma, certo, "
            "certamente, ok, okay, va bene, va benissimo, benissimo, perfetto, ci sarò, "
            "ci saremo, d'accordo, daccordo, a domani, nessun problema, non c'è problema, "
            "non ci sono problemi, tutto ok, ci vediamo"
        ),
        "es": (
            "sí, confirmo, confirmado, confirmada, vale, perfecto, de acuerdo, allí estaré, "
            "ahí estaré, allí estaremos, ahí estaremos, claro, por supuesto, sin problema, "
            "no hay problema, hasta mañana, nos vemos"
        ),
        "en": (
            "yes, yep, yeah, yup, sure, confirm, confirmed, i'll be there, ill be there, "
            "i will be there, will be there, see you, sounds good, of course, no problem, "
            "perfect, that's fine, all good"
        ),
        "pt": (
            "sim, confirmo, confirmado, confirmada, combinado, estarei, estarei lá, tudo bem, "
            "certo, claro, perfeito, com certeza, até amanhã, sem problema, sem problemas"
        ),
    },
    _MOVE: {
        "it": (
            "spostare, spostarlo, spostarla, sposta, spostiamo, spostate, rimandare, "
            "rimandiamo, rinviare, rinviamo, posticipare, anticipare, cambiare, cambiamo, "
            "un altro giorno, un altro orario, altro giorno, altro orario, altra data"
        ),
        "es": (
            "cambiar, cambiamos, mover, movemos, reprogramar, aplazar, posponer, adelantar, "
            "otro día, otra hora, otro horario"
        ),
        "en": (
            "reschedule, rescheduling, rebook, postpone, move it, move the appointment, "
            "move my appointment, can we move, change the time, change the date, "
            "change the appointment, change my appointment, another day, another time, "
            "different time, different day"
        ),
        "pt": "remarcar, reagendar, adiar, mudar, trocar, antecipar, outro dia, outro horário",
    },
    _CANT: {
        "it": (
            "non posso, non riesco, non potrò, non ce la faccio, non ci sarò, non vengo, "
            "non verrò, imprevisto"
        ),
        "es": (
            "no puedo, no podré, no estaré, no voy a poder, no llego, no voy a ir, no iré, "
            "imprevisto"
        ),
        "en": (
            "can't make it, cant make it, cannot make it, can't come, cant come, cannot come, "
            "won't make it, won't be there, won't be able, not coming, won't come, "
            "unable to come, something came up"
        ),
        "pt": (
            "não posso, não consigo, não vou poder, não vou conseguir, não estarei, não vou, "
            "imprevisto"
        ),
    },
    _CANCEL: {
        "it": (
            "cancella, cancellare, cancellate, cancellato, cancellata, cancelliamo, annulla, "
            "annullare, annullate, annullo, annulliamo, annullato, annullata, disdico, disdire, "
            "disdetta, rinuncio"
        ),
        "es": (
            "cancelar, cancela, cancelo, cancelen, cancelado, cancelada, anular, anula, anulo, "
            "anulen, anulado, anulada"
        ),
        "en": "cancel, cancelled, canceled, cancelling, canceling, cancellation, call off",
        "pt": (
            "cancelar, cancela, cancelo, cancelado, cancelada, desmarcar, desmarco, desmarca, "
            "anular"
        ),
    },
    _NEG: {
        "it": "no, non, mai",
        "es": "no, nunca",
        "en": "no, not, nope, nah, never, don't, dont, do not, can't, cant, cannot, won't, wont",
        "pt": "não, nunca",
    },
    _DOUBT: {
        "it": (
            "forse, non so, non lo so, boh, vediamo, devo vedere, non sono sicuro, "
            "non sono sicura, credo, penso, spero, probabilmente, provo, ci provo, magari, "
            "dipende, se riesco"
        ),
        "es": (
            "quizás, quizá, tal vez, a lo mejor, no sé, no lo sé, no estoy seguro, "
            "no estoy segura, creo, puede ser, probablemente, espero, depende, intentaré"
        ),
        "en": (
            "maybe, perhaps, not sure, i think, i guess, probably, hopefully, i hope, i'll try, "
            "will try, depends, don't know, dont know, no idea, might"
        ),
        "pt": (
            "talvez, não sei, acho, não tenho certeza, provavelmente, pode ser, vou tentar, "
            "depende, espero"
        ),
    },
    _BUT: {
        "it": "ma, però, tuttavia, anche se, solo che",
        "es": "pero, aunque, sin embargo",
        "en": "but, however, although, though",
        "pt": "mas, porém, embora",
    },
    # Phrases that contain a signal word but carry none: matched first, then ignored.
    _NEUTRAL: {
        "it": (
            "non si preoccupi, non ti preoccupare, non preoccuparti, non vedo l'ora, si è, "
            "si sono, si può, si potrebbe, si tratta, mi si, ti si, se si"
        ),
        "es": "no se preocupe, no te preocupes, no pasa nada, si no, si puedo, si necesito",
        "en": "don't worry, dont worry, no worries",
        "pt": "não se preocupe",
    },
}

# Accepted only as the whole message (inside a sentence "c" is "c'è").
WHOLE_MESSAGE_CONFIRM = ("c",)


def _lexicon() -> dict[tuple[str, ...], str]:
    lexicon: dict[tuple[str, ...], str] = {}
    for kind, languages in PHRASES.items():
        for phrases in languages.values():
            for phrase in phrases.split(","):
                tokens = tuple(normalize_text(phrase).split())
                if not tokens:
                    continue
                if lexicon.setdefault(tokens, kind) != kind:
                    raise ValueError(f"{phrase!r} is listed as {kind} and {lexicon[tokens]}")
    return lexicon


LEXICON = _lexicon()
_LONGEST = max(len(tokens) for tokens in LEXICON)
_SENTENCE = re.compile(r"[^.!?\n…]+[.!?\n…]*")
_CLAUSE = re.compile(r"[,;:()\"«»]")


@dataclass(frozen=True)
class _Signal:
    kind: str
    phrase: str
    question: bool


def _clause_signals(clause: str, question: bool) -> list[_Signal]:
    """Phrases found in one clause, longest first; a negation negates what follows it
    in the clause ("non voglio annullare")."""
    tokens = normalize_text(clause).split()
    signals, negated, i = [], False, 0
    while i < len(tokens):
        for size in range(min(_LONGEST, len(tokens) - i), 0, -1):
            phrase = tuple(tokens[i : i + size])
            kind = LEXICON.get(phrase)
            if kind:
                break
        else:
            i += 1
            continue
        text = " ".join(phrase)
        if kind == _NEG:
            negated = True
        elif negated and kind in (_YES, _MOVE, _CANCEL):
            kind = _NEG
        if kind != _NEUTRAL:
            signals.append(_Signal(kind, text, question))
        i += size
    return signals


def _signals(text: str) -> list[_Signal]:
    signals = []
    for sentence in _SENTENCE.findall(text):
        question = "?" in sentence or "¿" in sentence
        for clause in _CLAUSE.split(sentence):
            signals += _clause_signals(clause, question)
    return signals


def _payload_intent(payload: str | None) -> str | None:
    value = (payload or "").strip().casefold()
    if value.startswith(PAYLOAD_NAMESPACE + ":"):
        value = value.split(":")[1]
    return value if value in INTENTS else None


def _decide(signals: list[_Signal]) -> Reply:
    def first(*kinds: str, question: bool | None = None) -> _Signal | None:
        return next(
            (s for s in signals if s.kind in kinds and question in (None, s.question)),
            None,
        )

    move, cancel, cant, yes = first(_MOVE), first(_CANCEL), first(_CANT), first(_YES)
    if move:
        return Reply(RESCHEDULE, move.phrase)
    if cancel:
        against = first(_DOUBT) or first(_CANCEL, question=True)
        return Reply(UNCLEAR, against.phrase) if against else Reply(CANCEL, cancel.phrase)
    if cant:
        return Reply(RESCHEDULE, cant.phrase)
    if yes:
        against = first(_NEG, _DOUBT, _BUT) or first(_YES, question=True)
        return Reply(UNCLEAR, against.phrase) if against else Reply(CONFIRM, yes.phrase)
    return Reply(UNCLEAR, signals[0].phrase if signals else None)


def parse_reply(text: str | None, payload: str | None = None) -> Reply:
    """The patient's intent in answer to a reminder (see the module's rules)."""
    intent = _payload_intent(payload)
    if intent:
        return Reply(intent, payload)
    if "?" not in (text or "") and normalize_text(text) in WHOLE_MESSAGE_CONFIRM:
        return Reply(CONFIRM, normalize_text(text))
    return _decide(_signals(text or ""))
