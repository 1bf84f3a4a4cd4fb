"""What a patient's message is about, so the desk sees the toothache before the thanks.

:func:`classify` gives one :class:`Triage`: a ``label`` (``clinical``, ``flirt``,
``hostile``, ``admin``, ``other``), whether it is ``urgent`` and the ``cues`` that
decided, shown to the dentist so that a wrong label is obvious at a glance.

Order of precedence, because one WhatsApp message often carries several intents:

* ``clinical`` wins: "devo spostare l'appuntamento perché ho la faccia gonfia" is a
  swollen face first, a rescheduling second. A symptom counts only when it is not
  negated ("non ho più dolore") and not figurative ("mi fa male pagare così tanto").
* ``hostile`` (insults, threats, accusations, caps rage) beats admin, so that "siete
  dei ladri, 300 euro per niente" reaches whoever handles complaints. Disputes worded
  politely ("mi è arrivato un sollecito, non è giusto") stay admin, and so do profanity,
  shame and legal words in a calm booking ("mierda, se me olvidó la cita", "the invoice
  for my lawyer") unless aimed at the practice or shouted.
* ``flirt`` are advances (invitations, longing, looks of the reader, pet names, "is
  your colleague single?", kisses as the whole message); praise of someone's skill ("il
  dottore è bravissimo"), warmth to the whole team and a pet name in a booking are not.
* ``admin``: appointments, bills, payments, hours, documents, insurance.

``urgent`` follows dental emergency triage (SDCEP, ADA): swelling reaching the eye or
neck or spreading, trouble swallowing or breathing, bleeding that pressure does not
stop, fever with swelling, a tooth knocked out or broken by a blow or a fall, pain that
painkillers do not control. Only a clinical message can be urgent.

Word lists are data, per language (``it``, ``es``, ``en``, ``pt``), in
:mod:`.triage_lexicon`: regex fragments over :func:`keywords.normalize_text` output
(casefolded, no accents, no punctuation) after shorthand is spelled out ("nn", "xq",
"qdo"), so "perché", "xke" and "PERCHE" meet the same list. A message that names a tooth
in words no list has, and is nothing else, is taken as clinical with "?" among its cues.
They are compiled once at import: a message is classified in well under a millisecond.

Measured on messages written apart from the lists (``tests/test_triage.py`` has the
figures): word lists alone generalise poorly, so expect unseen wording to be missed more
often than the labelled sets suggest, flirt and hostile most of all.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .keywords import normalize_text
from .triage_lexicon import (
    ALIASES,
    BREAKS,
    CEASE,
    FIGURATIVE,
    FIGURATIVE_PHRASES,
    INABILITY,
    LEX,
    NEGATORS,
    NOT_ABSENCE,
    PASSED,
    TREATMENT,
)

LABELS = ("clinical", "flirt", "hostile", "admin", "other")


@dataclass(frozen=True)
class Triage:
    label: str  # one of LABELS
    urgent: bool
    cues: tuple[str, ...]  # the words or signals that decided, for the dentist


_SCOPE = 4
_NOT_ABSENCE = regex.compile(NOT_ABSENCE)
_INABILITY = regex.compile(INABILITY)
_FIGURATIVE_PHRASES = regex.compile(FIGURATIVE_PHRASES)
_TREATMENT = regex.compile(TREATMENT)
_GREETING = (
    r"(?:ciao|ehi|hey|hi|hello|hola|oi|ola|buongiorno|buenas|e|oye|ei|salve|morning"
    r"|good (?:morning|evening|night)|buona ?(?:sera|notte)|buonasera|buenos dias"
    r"|buenas (?:tardes|noches)|bom dia|boa (?:tarde|noite))"
)
_FLIRT_EMOJI = "😘😍🥰😚😙😗💋😏😻😉🔥🥵"
_KISS_EMOJI = "😘😍🥰😚😙😗💋😏😻🥵"  # the whole message to staff: an advance
_THEFT = regex.compile(r"ladr\w*|thie\w*|crooks?")
_CAPS_WORD = regex.compile(r"(?<!\w)\p{Lu}{4,}(?!\w)")
_BARE_QUESTION = regex.compile(r"(?:^|[.!?\n…])\s*([^.!?\n…]{1,24})\?")
_COUNTED = regex.compile(  # "a single visit", "is it single or double?": no status
    r"visit|appointment|session|room|payment|dose|tooth|crown|seduta|sesion|sessao|vez|volta"
)
_RAW_HOSTILE = regex.compile(r"(?<!\w)[fs][*#@$]{2,}")  # "f*** off": punctuation-masked
_SHOUT = regex.compile(r"[!?]{2,}")
_BANG = regex.compile(r"!+\?+|\?+!+|!{2,}")  # "!!", "?!": a question is no rage


def _compile(fragments: str) -> regex.Pattern:
    return regex.compile(rf"(?<!\w)(?:{fragments})(?!\w)")


def _build(codes) -> dict:
    """Compiled categories, negators and breakers for the languages ``codes``."""
    categories = {cat for code in codes for cat in LEX[code]}
    patterns = {
        cat: _compile("|".join(LEX[code][cat] for code in codes if cat in LEX[code]))
        for cat in categories
    }
    breaks = set().union(*(BREAKS[code] for code in codes))
    vocatives = "|".join(LEX[code]["vocative"] for code in codes)
    if len(codes) > 1:
        breaks.discard("mas")  # "but" in Portuguese, "more" in Spanish ("no tengo más dolor")
    return {
        "re": patterns,
        "neg": set().union(*(NEGATORS[code] for code in codes)),
        "cease": set().union(*(CEASE[code] for code in codes)),
        "passed": regex.compile(rf"(?:{'|'.join(PASSED[code] for code in codes)})(?!\w)"),
        "aliases": {k: v for code in reversed(codes) for k, v in ALIASES[code].items()},
        "breaks": breaks,
        "vocative": regex.compile(rf"^(?:{_GREETING} )?(?:{vocatives})(?!\w)"),
    }


_TABLES = {code: _build((code,)) for code in LEX}
_TABLES[None] = _build(tuple(LEX))


def _table(lang: str | None) -> dict:
    """``"es_ES"``, ``"pt-BR"``, ``"it"``: one language's lists; else all of them."""
    code = (lang or "").split("_")[0].split("-")[0].lower()
    return _TABLES.get(code, _TABLES[None])


def _negated(norm: str, start: int, end: int, table: dict) -> bool:
    """Whether the symptom at ``norm[start:end]`` is said to be absent or over: a
    negator shortly before ("non ho più dolore"), a verb of stopping not itself negated
    ("parou de doer", "stopped hurting"), or one of passing just after ("il dolore è
    passato", "the swelling has gone")."""
    before = norm[:start].split()[-_SCOPE:]
    for index in range(len(before) - 1, -1, -1):
        word = before[index]
        if word in table["breaks"]:
            break
        if word in table["neg"]:
            between = before[index + 1 :]
            if any(_INABILITY.fullmatch(w) for w in between):
                return False  # "non ho dormito per il dolore", "can t sleep with the pain"
            return not _NOT_ABSENCE.match(" ".join([*between, norm[start:]]))
        if word in table["cease"]:
            return not (index and before[index - 1] in table["neg"])
    after = norm[end:].split()[:_SCOPE]
    for index, word in enumerate(after):
        if word in table["breaks"] or word in table["neg"]:
            return False
        if table["passed"].match(" ".join(after[index:])):
            return True
    return False


def _figurative(norm: str, match, table: dict) -> bool:
    near = norm[: match.start()].split()[-3:] + norm[match.end() :].split()[:3]
    if not FIGURATIVE.intersection(near) and not _FIGURATIVE_PHRASES.search(" ".join(near)):
        return False
    return not any(table["re"]["object"].fullmatch(word) for word in near)


def _found(table: dict, cat: str, norm: str) -> list[str]:
    """Words of category ``cat`` in ``norm``, negated ones left out."""
    return [
        m.group()
        for m in table["re"][cat].finditer(norm)
        if not _negated(norm, m.start(), m.end(), table)
        and not (cat == "pain" and _figurative(norm, m, table))
    ]


def _any(table: dict, cat: str, norm: str) -> list[str]:
    return [m.group() for m in table["re"][cat].finditer(norm)]


def _clinical(table: dict, norm: str) -> tuple[dict, list[str]]:
    found = {cat: _found(table, cat, norm) for cat in ("pain", "swelling", "bleeding",
                                                      "symptom", "airway")}  # fmt: skip
    cues = [word for words in found.values() for word in words]
    objects = _any(table, "object", norm)
    if objects:
        for cat in ("broken", "detached", "loose"):
            found[cat] = _found(table, cat, norm)
            cues += found[cat]
        if not cues:  # "puedo comer después de la extracción?", "è normale?": care of a
            cues += _any(table, "aftercare", norm) + _any(table, "worry", norm)  # tooth
        if cues:
            cues += objects[:1]
    else:
        found["broken"] = found["detached"] = found["loose"] = []
    return found, cues


def _urgent(table: dict, norm: str, found: dict) -> list[str]:
    """The emergency signals in a clinical message (see the module docstring)."""
    cues = list(found["airway"])
    if found["swelling"]:
        cues += _any(table, "site", norm) + _any(table, "spread", norm)
        cues += _any(table, "trismus", norm)
        cues += _found(table, "fever", norm)
    if found["bleeding"] and not _any(table, "stopped", norm):
        cues += _any(table, "bleed_persist", norm)
    trauma = list(table["re"]["trauma"].finditer(norm))
    if found["broken"] or found["loose"]:  # knocked out, broken or loosened by a blow
        cues += [m.group() for m in trauma]
    elif found["detached"]:  # "the tooth came out after a punch"; the word that says
        said = [m.span() for m in table["re"]["detached"].finditer(norm)]  # it is no blow
        cues += [
            m.group() for m in trauma if not any(a < m.end() and m.start() < b for a, b in said)
        ]
    if found["pain"]:
        painkillers, persist = _any(table, "painkiller", norm), _any(table, "persist", norm)
        if painkillers and persist:  # a painkiller that works is no emergency
            cues += painkillers[:1] + persist[:1]
    return cues


def _spans(table: dict, cat: str, norm: str) -> list[tuple[int, int, str]]:
    """Matches of ``cat`` as (first word, word after the last, text)."""
    spans = []
    for m in table["re"][cat].finditer(norm):
        start = len(norm[: m.start()].split())
        spans.append((start, start + len(m.group().split()), m.group()))
    return spans


def _near(table: dict, norm: str, first: str, second: str, gap: int = 3) -> list[str]:
    """``first`` and ``second`` at most ``gap`` words apart, in either order; either may
    be several words ("un caffè io e te")."""
    return [
        f"{a} {b}"
        for a_start, a_end, a in _spans(table, first, norm)
        for b_start, b_end, b in _spans(table, second, norm)
        if 0 < max(b_start - a_end + 1, a_start - b_end + 1) <= gap
    ][:1]


def _address_looks(table: dict, norm: str) -> list[str]:
    """Looks said to the reader: "sei bellissima", "que guapa estás", "vc é linda"."""
    words = norm.split()
    looks = [i for i, w in enumerate(words) if table["re"]["looks"].fullmatch(w)]
    for match in table["re"]["address"].finditer(norm):
        end = len(norm[: match.end()].split())
        begin = end - len(match.group().split())
        for i in looks:
            if end <= i < end + 3 or begin - 2 <= i < begin:
                return [f"{match.group()} {words[i]}"]
    return []


def _partner(table: dict, text: str, norm: str) -> list[str]:
    """Someone's status, asked ("la tua collega è single?", "tiene novio?"), not one's
    own ("mio marito può venire al posto mio?")."""
    if "?" not in text:
        return []
    words = norm.split()
    mine = {"mio", "mia", "mi", "my", "meu", "minha", "sono", "soy", "sou", "im", "m"}
    return [
        w
        for i, w in enumerate(words)
        if table["re"]["partner"].fullmatch(w)
        and not mine.intersection(words[max(0, i - 2) : i])
        and not _counted(table, words[i + 1 : i + 2])
    ]


def _counted(table: dict, following: list[str]) -> bool:
    return any(
        _COUNTED.match(w) or table["re"]["admin"].fullmatch(w) or table["re"]["object"].fullmatch(w)
        for w in following
    )


def _flirt(table: dict, text: str, norm: str) -> list[str]:
    """Advances: invitations, longing, looks said to the reader, someone's status asked,
    a pet name opening the message, kisses sent as the whole message."""
    cues = _any(table, "flirt", norm) + _address_looks(table, norm)
    cues += _near(table, norm, "eyes", "looks") + _partner(table, text, norm)
    admin = _any(table, "admin", norm)
    if not admin:  # "is she free this weekend?", not "...for a filling?"
        cues += _any(table, "availability", norm)
        cues += _near(table, norm, "outing", "together", 4)  # "un caffè io e te"
        cues += _bare_invitations(table, text)  # "dinner?"
    if _any(table, "thou", norm):  # "che occhi che hai", "you have the prettiest eyes"
        cues += _near(table, norm, "features", "looks")
    vocative = table["vocative"].match(norm)
    if vocative and not cues and admin and not _any(table, "thou", norm):
        vocative = None  # "ciao bella, a che ora aprite?": a booking, not "...finisci?"
    if vocative and not _any(table, "child", norm):  # not "amore mio, ha 5 anni"
        cues.append(vocative.group())
    if not any(c.isalnum() for c in text) and any(c in _KISS_EMOJI for c in text):
        cues.append("emoji")
    if cues:
        cues += [c for c in _FLIRT_EMOJI if c in text]
    return cues


def _bare_invitations(table: dict, text: str) -> list[str]:
    """An outing asked as a sentence of its own: "dinner?", "un caffè?", "chopp?"."""
    cues = []
    for match in _BARE_QUESTION.finditer(text):
        words = normalize_text(match.group(1)).split()
        if 0 < len(words) <= 2 and table["re"]["outing"].fullmatch(words[-1]):
            cues.append(words[-1])
    return cues


def _hostile(table: dict, text: str, norm: str) -> list[str]:
    """Insults, threats, accusations and rage. Profanity, shame and legal words
    (:data:`hostile_weak`) count unless the message is a booking or a payment said
    calmly: "mierda, se me olvidó la cita" and "la fattura per il mio avvocato" are
    admin, "vi denuncio", "vergüenza de clínica" and "cavolo... per niente!!" are not."""
    words = norm.split()
    cues = [
        m.group()
        for m in table["re"]["hostile"].finditer(norm)
        if not (_THEFT.fullmatch(m.group()) and _after(table, norm, m.start(), "definite"))
    ]  # "siete dei ladri", not "mi sono entrati i ladri in casa"
    cues += _RAW_HOSTILE.findall(text)
    letters = [c for c in text if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    if len(letters) >= 10 and upper >= 0.75 * len(letters) and _SHOUT.search(text):
        cues.append("CAPS!!!")
    if cues:
        return cues
    angry = bool(_BANG.search(text) or _CAPS_WORD.search(text))
    weak = [
        i for i, w in enumerate(words) if table["re"]["hostile_weak"].fullmatch(w)
    ] + [len(norm[: m.start()].split()) for m in table["re"]["hostile_weak"].finditer(norm)
         if " " in m.group()]  # fmt: skip
    if weak:
        aimed = any(
            table["re"]["you"].fullmatch(w) or table["re"]["venue"].fullmatch(w)
            for i in weak
            for w in words[max(0, i - 2) : i] + words[i + 1 : i + 3]
        )
        calm = _any(table, "admin", norm) or _any(table, "fine", norm)
        calm = calm or _any(table, "praise", norm)
        if (angry or aimed or not calm) and not (_any(table, "praise", norm) and not angry):
            cues += [words[i] for i in weak] + (["!!"] if angry else [])
    if angry and _any(table, "grievance", norm):  # "di nuovo!!", "NOBODY ANSWERS"
        cues += [*_any(table, "grievance", norm), "!!"]
    return cues


def _after(table: dict, norm: str, start: int, cat: str) -> bool:
    """Whether the word just before ``norm[start:]`` is of category ``cat``."""
    before = norm[:start].split()[-1:]
    return bool(before) and bool(table["re"][cat].fullmatch(before[0]))


def classify(text: str | None, lang: str | None = None) -> Triage:
    """The :class:`Triage` of one patient message; ``lang`` (``"it"``, ``"es_ES"``...)
    limits the word lists to that language, ``None`` or an unknown one uses all."""
    text = text or ""
    table = _table(lang)
    aliases = table["aliases"]
    norm = " ".join(aliases.get(word, word) for word in normalize_text(text).split())
    found, cues = _clinical(table, norm)
    if cues:
        urgent = _urgent(table, norm, found)
        return Triage("clinical", bool(urgent), tuple(dict.fromkeys(cues + urgent)))
    for label, finder in (("hostile", _hostile), ("flirt", _flirt)):
        cues = finder(table, text, norm)
        if cues:
            return Triage(label, False, tuple(dict.fromkeys(cues)))
    farewells = [m.span() for m in table["re"]["farewell"].finditer(norm)]
    cues = [  # "hasta el jueves", "see you friday": a goodbye, no booking
        m.group()
        for m in table["re"]["admin"].finditer(norm)
        if not any(a <= m.start() and m.end() <= b for a, b in farewells)
    ]
    if cues:
        return Triage("admin", False, tuple(dict.fromkeys(cues)))
    return _about_a_tooth(table, norm)


def _about_a_tooth(table: dict, norm: str) -> Triage:
    """A message that names a tooth, a crown, a brace... and is no booking, complaint,
    advance, thanks for a healed tooth or denial ("nessun problema con i punti") is most
    likely about that tooth, in words the lists lack ("la capsula si è scollata", "my
    tooth has gone grey"): clinical, so that the dentist reads it."""
    objects = [o for o in _any(table, "object", norm) if not _TREATMENT.fullmatch(o)]
    words = set(norm.split())
    if not objects or words & table["neg"] or _any(table, "fine", norm):
        return Triage("other", False, ())
    return Triage("clinical", False, (objects[0], "?"))
