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
   first: "okkupato" is not "ok", "sicuro" is not "si", "non posso" is one phrase,
   "a domani" and "hasta mañana" are a "yes", not a day.
3. An explicit request to move the appointment wins ("sì ma devo spostare"). So does a
   proposal of another day or time: a sentence that names a day or a time ("martedì",
   "domani pomeriggio", "alle 10", "next week", "por la tarde", "às 10h") together with
   "instead" ("giovedì invece?", "en vez del lunes"), or a question that names one with
   a proposal opener ("possiamo giovedì?", "¿podría ser por la tarde?", "pode ser na
   terça?"). Openers that are questions by word order ("can we", "how about", "would it
   be possible", "sarebbe possibile") count without a question mark. A question about
   the booking itself ("è confermato per martedì?", "is it still on Tuesday?", "¿es el
   martes?") has no opener and stays UNCLEAR.
4. An explicit cancellation comes next, unless it is asked as a question ("è stato
   annullato?") or hedged ("forse annullo"): a cancellation frees the slot, so it must be
   a statement. A definite "I'm not coming" ("non vengo più", "ya no voy", "I'm not
   coming", "não vou mais") is a cancellation too, under the same conditions and a few
   more: no "if" in the message ("se non vengo vi avviso"), no "but" after it ("non
   vengo martedì ma giovedì"; "mi dispiace, ma non vengo" is fine), no proposal opener
   or "instead" anywhere in the message ("non vengo, si può fare un'altra volta?").
   "não vou" followed by a verb ("não vou chegar a tempo") is "I'm going to", not
   "I'm not coming". "I can't come" ("non posso", "no puedo", "can't make it", "non ci
   sarò") without a verb for moving or cancelling is a reschedule request: the practice
   calls back either way.
5. A confirmation counts only when nothing else in the message argues against it: no
   negation ("non confermo", "ok no"), no doubt ("forse", "non so"), no "but"
   ("sì, ma arrivo tardi"), no proposal opener or "instead" ("sì, si potrebbe"), and not
   inside a question ("è confermato?"). A day or a time alone never argues either way:
   "ci vediamo domani" confirms, "domani?" is UNCLEAR.
6. Emoji carry no intent: "👍" alone is UNCLEAR. In a dental practice a thumbs-up can
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
# A day or a time; a proposal opener that needs a question ("possiamo"); one that is a
# question by its word order ("can we"); "instead"; a definite "I'm not coming"; "if".
_WHEN, _ASK, _PROPOSE, _INSTEAD, _NOT_COMING, _IF = (
    "when", "ask", "propose", "instead", "not_coming", "if",
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
        "it": ("non posso, non riesco, non potrò, non ce la faccio, non ci sarò, imprevisto"),
        "es": ("no puedo, no podré, no estaré, no voy a poder, no llego, imprevisto"),
        "en": (
            "can't make it, cant make it, cannot make it, can't come, cant come, cannot come, "
            "won't make it, won't be there, won't be able, unable to come, something came up"
        ),
        "pt": ("não posso, não consigo, não vou poder, não vou conseguir, não estarei, imprevisto"),
    },
    _NOT_COMING: {
        "it": (
            "non vengo, non verrò, non vengo più, non verrò più, non ci vengo, non ci verrò, "
            "non veniamo, non verremo"
        ),
        "es": (
            "no voy a ir, no iré, ya no voy, ya no iré, no voy a venir, no vendré, "
            "no vamos a ir, no iremos, no voy a asistir, no asistiré"
        ),
        "en": (
            "i'm not coming, im not coming, i am not coming, not coming, not coming anymore, "
            "not coming any more, won't come, will not come, i won't be coming, "
            "won't be coming, will not be coming, not going to come, not gonna come"
        ),
        # "não vou" before a verb is "I'm going to": see _GOING_TO.
        "pt": "não vou, não vou mais, não vou comparecer, não vou ir, não irei, não iremos",
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
    _WHEN: {
        "it": (
            "lunedì, martedì, mercoledì, giovedì, venerdì, sabato, domenica, oggi, domani, "
            "dopodomani, mattina, mattino, stamattina, pomeriggio, sera, stasera, "
            "settimana prossima, prossima settimana, settimana che viene, fine settimana, "
            "mese prossimo, più tardi"
        ),
        "es": (
            "lunes, martes, miércoles, jueves, viernes, sábado, domingo, hoy, mañana, "
            "pasado mañana, tarde, noche, semana que viene, próxima semana, "
            "semana próxima, fin de semana, mes que viene, más tarde, más temprano"
        ),
        "en": (
            "monday, tuesday, wednesday, thursday, friday, saturday, sunday, today, "
            "tomorrow, morning, afternoon, evening, tonight, next week, weekend, "
            "next month, later, earlier"
        ),
        "pt": (
            "segunda, terça, quarta, quinta, sexta, sábado, domingo, hoje, amanhã, "
            "depois de amanhã, manhã, tarde, noite, semana que vem, próxima semana, "
            "fim de semana, mês que vem, mais tarde, mais cedo"
        ),
    },
    _ASK: {
        "it": (
            "possiamo, potremmo, si potrebbe, si può, è possibile, posso venire, "
            "potrei venire, posso passare, potrei passare, e se"
        ),
        "es": (
            "podemos, podríamos, podría ser, se puede, es posible, qué tal, y si, "
            "puedo ir, podría ir, puedo pasar"
        ),
        "en": "what if",
        "pt": "podemos, é possível, que tal, e se, posso ir, poderia ir, dá para, dá pra",
    },
    _PROPOSE: {
        "it": (
            "sarebbe possibile, andrebbe bene, avete posto, c'è posto, ci sarebbe posto, "
            "avete disponibilità"
        ),
        "es": (
            "sería posible, tienen hueco, tenéis hueco, hay hueco, habría hueco, "
            "tienen disponibilidad, hay disponibilidad"
        ),
        "en": (
            "can we, could we, could it be, can it be, can i come, could i come, "
            "is it possible, would it be possible, what about, how about, do you have, "
            "any chance"
        ),
        "pt": "poderia ser, seria possível, tem vaga, têm vaga, há vaga",
    },
    _INSTEAD: {
        "it": "invece, al posto, anziché",
        "es": "en vez, en lugar",
        "en": "instead, rather than",
        "pt": "em vez, ao invés, no lugar",
    },
    _IF: {
        "it": "se, qualora, nel caso",
        "es": "en caso de que, por si",
        "en": "if, in case, unless",
        "pt": "se, caso",
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
            "si sono, si tratta, mi si, ti si, se si"
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
# A full stop between digits is a time or a date ("alle 9.30", "12.03"), not a sentence end;
# a colon between digits is a time ("10:30"), not a clause break.
_SENTENCE = re.compile(r"(?:[^.!?\n…]|(?<=\d)\.(?=\d))+[.!?\n…]*")
_CLAUSE = re.compile(r"[,;()\"«»]|:(?!\d)")

# A clock time or a date as normalised tokens: "alle 10", "at 5", "a las 5", "às 10h",
# "10 30" (10:30), "5 pm", "5pm", "17h", "il 15", "the 15th".
_NUMBER = re.compile(r"\d{1,2}(?:h\d{0,2}|am|pm|st|nd|rd|th)?")
_CLOCK = re.compile(r"\d{1,2}(?:h\d{0,2}|am|pm)")
_CLOCK_WORDS = frozenset(
    ("alle", "le", "ore", "dalle", "verso", "il", "las", "el", "at", "around", "the", "as",
     "pelas", "dia")
)  # fmt: skip
_CLOCK_AFTER = frozenset(("am", "pm", "h"))
# After "não vou" an infinitive makes it "I'm going to ..." ("não vou chegar a tempo",
# "não vou faltar"), which stays what it was before: "I can't".
_GOING_TO = (("nao", "vou"), re.compile(r"[a-z]{2,}(?:ar|er|ir|or)"))
# Doubts that open a proposal when asked: "¿puede ser el martes?", "pode ser na terça?".
_ASKING_DOUBTS = frozenset(("puede ser", "pode ser"))


@dataclass(frozen=True)
class _Signal:
    kind: str
    phrase: str
    question: bool
    sentence: int = 0


def _clock(tokens: list[str], i: int) -> int:
    """How many tokens from ``i`` are a clock time or a date (0: none)."""
    token, after = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else ""
    if token in _CLOCK_WORDS and _NUMBER.fullmatch(after):
        return 2
    if _CLOCK.fullmatch(token):
        return 1
    if token.isdigit() and len(token) <= 2:
        if after in _CLOCK_AFTER or (len(after) == 2 and after.isdigit()):
            return 2
    return 0


def _clause_signals(clause: str, question: bool, sentence: int = 0) -> list[_Signal]:
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
            size = _clock(tokens, i)
            if not size:
                i += 1
                continue
            phrase, kind = tuple(tokens[i : i + size]), _WHEN
        text = " ".join(phrase)
        if kind == _NEG:
            negated = True
        elif negated and kind in (_YES, _MOVE, _CANCEL):
            kind = _NEG
        elif (
            phrase == _GOING_TO[0]
            and i + size < len(tokens)
            and _GOING_TO[1].fullmatch(tokens[i + size])
        ):
            kind = _CANT
        if kind != _NEUTRAL:
            signals.append(_Signal(kind, text, question, sentence))
        i += size
    return signals


def _signals(text: str) -> list[_Signal]:
    signals = []
    for index, sentence in enumerate(_SENTENCE.findall(text)):
        question = "?" in sentence or "¿" in sentence
        for clause in _CLAUSE.split(sentence):
            signals += _clause_signals(clause, question, index)
    return signals


def _proposal(signals: list[_Signal]) -> _Signal | None:
    """The day or time of a sentence that proposes it instead of the booked one."""
    for index in dict.fromkeys(s.sentence for s in signals):
        sentence = [s for s in signals if s.sentence == index]
        when = next((s for s in sentence if s.kind == _WHEN), None)
        if when and any(
            s.kind in (_INSTEAD, _PROPOSE)
            or (s.question and (s.kind == _ASK or s.phrase in _ASKING_DOUBTS))
            for s in sentence
        ):
            return when
    return None


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
    move = move or _proposal(signals)
    if move:
        return Reply(RESCHEDULE, move.phrase)
    if cancel:
        against = first(_DOUBT) or first(_CANCEL, question=True)
        return Reply(UNCLEAR, against.phrase) if against else Reply(CANCEL, cancel.phrase)
    if first(_NOT_COMING):
        # A statement, not hedged, conditional or followed by "but", no other proposal.
        stated = first(_NOT_COMING, question=False)
        later = signals[signals.index(stated) + 1 :] if stated else []
        against = (
            first(_NOT_COMING, question=True)
            or first(_DOUBT, _IF, _ASK, _PROPOSE, _INSTEAD)
            or next((s for s in later if s.kind == _BUT), None)
        )
        return Reply(UNCLEAR, against.phrase) if against else Reply(CANCEL, stated.phrase)
    if cant:
        return Reply(RESCHEDULE, cant.phrase)
    if yes:
        against = first(_NEG, _DOUBT, _BUT, _ASK, _PROPOSE, _INSTEAD) or first(_YES, question=True)
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
