"""Policy checks on the free text staff type to a patient.

Each check returns :class:`Finding` objects (what, where, why); the Odoo side turns
them into translated refusals or warnings. Three families:

* emoji (:func:`check_emoji`): ``ambiguous`` ones (hearts, kisses, winks, innuendo)
  have no place in a patient conversation; ``unlisted`` ones are neither known neutral
  nor ambiguous and are only reported when the caller asks.
* clinical advice (:func:`find_clinical_advice`): drug names, dosages and diagnoses
  belong in a template the dentist approved, not in reception free text.
* personal content (:func:`find_personal_content`): endearments and invitations, to
  alert the dentist. These are *warnings for a human to review, never silent blocks*:
  words like "Bella" are also surnames ("Buongiorno signora Bella" is skipped because a
  title precedes the capitalised word, but "Maria Bella" is still reported).

Word lists are data, per language (``it``, ``es``, ``en``), matched on whole words,
case- and accent-insensitively.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import regex

AMBIGUOUS = "ambiguous"
UNLISTED = "unlisted"


@dataclass(frozen=True)
class Finding:
    kind: str  # "emoji", "clinical", "personal"
    match: str  # the text as the staff member typed it
    start: int
    end: int
    reason: str = ""  # emoji: ambiguous/unlisted; clinical: drug/dosage/diagnosis; ...


# ------------------------------------------------------------------------------- emoji
# Pictographs are Unicode's Extended_Pictographic (emoji-data.txt), through the regex
# module, so they follow the Unicode version regex was built with (17.0 from regex
# 2025.10.22, see requirements.txt) instead of a copied table. The property also covers
# the code points Unicode keeps free for future emoji, so emoji newer than regex match.
# Since 17.0 it leaves out the assigned symbols that are not emoji (playing cards, chess
# pieces, mahjong tiles...); the Miscellaneous Symbols block (★ ♡ ♪ ☚ ...) counts here
# whole, so that those are still reported as they were before.
_PICT = r"\p{Extended_Pictographic}\p{Block=Miscellaneous_Symbols}"
# Pictographs shown as emoji even without U+FE0F: the Misc Symbols, Dingbats and
# Misc Symbols and Arrows blocks (phones render ❤ ☺ ✔ as emoji), everything outside the
# BMP, and the other Emoji_Presentation characters (⌚ ⌛ ⏩-⏬ ⏰ ⏳ ◽ ◾). Other
# pictographs (© ® ™ ↔ ▶ ...) count only when followed by U+FE0F.
_EMOJI_BY_DEFAULT = regex.compile(
    r"[\p{Emoji_Presentation}\p{Block=Miscellaneous_Symbols}\p{Block=Dingbats}"
    r"\p{Block=Miscellaneous_Symbols_and_Arrows}\U00010000-\U0010FFFF]"
)

_VS15, _VS16, _ZWJ = "\ufe0e", "\ufe0f", "\u200d"
_MODIFIERS = "\U0001f3fb-\U0001f3ff"  # skin tones
_ELEMENT = (
    "(?:[0-9#*]\ufe0f?\u20e3"  # keycap 1️⃣
    "|[\U0001f1e6-\U0001f1ff]{2}"  # flag: two regional indicators
    f"|[{_PICT}][\ufe0e\ufe0f]?[{_MODIFIERS}]?"
    "(?:[\U000e0020-\U000e007e]+\U000e007f)?"  # subdivision flag tags
    f"|[{_MODIFIERS}])"
)
_EMOJI_RE = regex.compile(f"{_ELEMENT}(?:\u200d{_ELEMENT})*")


def _emoji_set(*groups: str) -> frozenset:
    """Single emoji from strings of them, presentation selectors dropped."""
    return frozenset(c for group in groups for c in group if c not in (_VS15, _VS16))


# Ambiguous or unprofessional in a conversation between a practice and a patient.
AMBIGUOUS_EMOJI = _emoji_set(
    # kisses and love-struck faces
    "😘😗😙😚😍🥰😻😽💋💏💑"
    # winks, smirks and suggestive faces
    "😉😏😜😛😝🤤🥵😈👅🫦🤭"
    # hearts of every colour and shape
    "❤♥❣💔💕💞💓💗💖💘💝💟🧡💛💚💙💜🖤🤍🤎🩷🩵🩶🫶"
    # innuendo
    "🍆🍑🍒🍌💦🔥🌶"
    # dates and romance: flowers, drinks, rings, beds
    "🌹💐🍷🥂🍾🍸🍹💍🛏🛌"
)
# Allowed without a second thought. 👍 is here on purpose: from the practice it is an
# acknowledgement; from a patient it never confirms an appointment (see reply_parser).
NEUTRAL_EMOJI = _emoji_set(
    "🙂😊🙏👍👋📅🗓📆✅☑✔🦷🪥📍📞☎📧✉📩⏰\u2139⚠❗❕📌📝🧾💳💶🏥🩺",
    "".join(chr(c) for c in range(0x1F550, 0x1F568)),  # clock faces
) | {"🧑\u200d⚕", "👩\u200d⚕", "👨\u200d⚕"}  # health workers


def _key(emoji: str) -> str:
    """The emoji without presentation selectors and skin tones, for set lookups."""
    return re.sub(f"[\ufe0e\ufe0f{_MODIFIERS}]", "", emoji)


def _is_emoji(sequence: str) -> bool:
    if _VS15 in sequence and _ZWJ not in sequence:
        return False  # text presentation explicitly requested
    if len(sequence) == 1 and not _EMOJI_BY_DEFAULT.match(sequence):
        return False  # © ® ™ ↔ ... typed as text
    return True


def _emoji_matches(text: str):
    return [m for m in _EMOJI_RE.finditer(text or "") if _is_emoji(m.group())]


def find_emoji(text: str | None) -> list[str]:
    """Every emoji in ``text``, a ZWJ sequence, flag or skin-toned emoji counting once."""
    return [m.group() for m in _emoji_matches(text)]


def emoji_reason(emoji: str) -> str | None:
    """``"ambiguous"``, ``"unlisted"`` or ``None`` (neutral) for one emoji."""
    key = _key(emoji)
    if key in AMBIGUOUS_EMOJI or any(part in AMBIGUOUS_EMOJI for part in key.split(_ZWJ)):
        return AMBIGUOUS
    return None if key in NEUTRAL_EMOJI else UNLISTED


def check_emoji(text: str | None, *, allow_unlisted: bool = True) -> list[Finding]:
    """Emoji staff should not send: ambiguous ones always, unlisted ones (neither
    neutral nor ambiguous, e.g. 🎉) only when ``allow_unlisted`` is false."""
    findings = []
    for match in _emoji_matches(text):
        reason = emoji_reason(match.group())
        if reason == AMBIGUOUS or (reason == UNLISTED and not allow_unlisted):
            findings.append(Finding("emoji", match.group(), match.start(), match.end(), reason))
    return findings


# ------------------------------------------------------------------------ word matching
def _fold(text: str) -> tuple[str, list[int]]:
    """Casefolded, accent-free ``text`` with typographic apostrophes made plain, and for
    each folded character the index of the original one it comes from."""
    folded, origin = [], []
    for index, char in enumerate(text):
        plain = "'" if char in "\u2019\u2018\u02bc`\u00b4" else char
        for part in unicodedata.normalize("NFKD", plain.casefold()):
            if not unicodedata.combining(part):
                folded.append(part)
                origin.append(index)
    return "".join(folded), origin


def _span(text: str, origin: list[int], start: int, end: int) -> tuple[int, int]:
    first, last = origin[start], origin[end - 1] + 1
    while last < len(text) and unicodedata.combining(text[last]):
        last += 1
    return first, last


def _words(phrases) -> str:
    """A regex alternation of folded phrases, longest first, spaces matching any run of
    spaces."""
    folded = sorted({_fold(p)[0] for p in phrases}, key=len, reverse=True)
    return "|".join(re.escape(p).replace("\\ ", r"\s+") for p in folded)


def _whole(pattern: str) -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)")


def _find(text, patterns, kind: str) -> list[Finding]:
    """Findings of ``(reason, compiled pattern)`` pairs, without overlaps."""
    if not text:
        return []
    folded, origin = _fold(text)
    spans = []
    for reason, pattern in patterns:
        for match in pattern.finditer(folded):
            if match.end() > match.start():
                spans.append((*_span(text, origin, match.start(), match.end()), reason))
    findings, covered_until = [], -1
    for start, end, reason in sorted(spans, key=lambda s: (s[0], -s[1])):
        if end <= covered_until:
            continue  # inside a longer finding
        findings.append(Finding(kind, text[start:end], start, end, reason))
        covered_until = max(covered_until, end)
    return findings


def _languages(lang: str | None, table: dict) -> list[str]:
    code = (lang or "").split("_")[0].split("-")[0].lower()
    return [code] if code in table else list(table)


# ---------------------------------------------------------------------- clinical advice
_NUMBER = {
    "it": r"\d+|una|uno|due|tre|quattro|sei|otto|dodici",
    "es": r"\d+|una|uno|dos|tres|cuatro|seis|ocho|doce",
    "en": r"\d+|one|two|three|four|six|eight|twelve",
}
_UNIT = r"\d+(?:[.,]\d+)?\s?(?:mg|mcg|ug|μg|g|ml|ui|iu)"
CLINICAL_TERMS = {
    "it": {
        "drug": ("ibuprofene", "paracetamolo", "tachipirina", "amoxicillina", "augmentin",
                 "antibiotico", "antibiotici", "antinfiammatorio", "antinfiammatori",
                 "antidolorifico", "antidolorifici", "analgesico", "brufen", "aulin",
                 "nimesulide", "ketoprofene", "clorexidina", "cortisone", "metronidazolo",
                 "clindamicina", "penicillina", "aspirina"),
        "dosage": ("compressa", "compresse", "pastiglia", "pastiglie", "capsula", "capsule",
                   "bustina", "bustine", "supposta", "supposte", "gocce", "posologia",
                   "dosaggio", "dose", "dosi", "a stomaco pieno", "a stomaco vuoto",
                   "volte al giorno"),
        "frequency": rf"ogni\s+(?:{_NUMBER['it']})\s+or[ae]",
        "diagnosis": ("infezione", "ascesso", "carie", "pulpite", "granuloma", "cisti",
                      "parodontite", "gengivite", "frattura", "necrosi", "infiammazione"),
        # "è" folds to "e" (also "and"): after it an article is required
        "diagnosis_lead": r"(?:sembra|sembrerebbe|potrebbe essere|si tratta di|ha|hai|"
                          r"c'e|e(?=\s+(?:\w+\s+)?(?:un|una|uno|un'|l')\b))",
        "article": r"un'\s*|un\s+|una\s+|uno\s+|l'\s*|la\s+|il\s+|lo\s+|delle\s+|dei\s+",
    },
    "es": {
        "drug": ("ibuprofeno", "paracetamol", "amoxicilina", "antibiotico", "antibioticos",
                 "antiinflamatorio", "antiinflamatorios", "analgesico", "analgesicos",
                 "nolotil", "metamizol", "enantyum", "dexketoprofeno", "clorhexidina",
                 "metronidazol", "clindamicina", "penicilina", "aspirina"),
        "dosage": ("comprimido", "comprimidos", "pastilla", "pastillas", "capsula",
                   "capsulas", "gotas", "dosis", "posologia", "en ayunas", "veces al dia"),
        # not "sobre" (sachet, but also "about"): "2 sobres" is caught with its number
        "frequency": rf"cada\s+(?:{_NUMBER['es']})\s+horas?",
        "diagnosis": ("infeccion", "absceso", "caries", "pulpitis", "granuloma", "quiste",
                      "periodontitis", "gingivitis", "fractura", "necrosis", "inflamacion"),
        "diagnosis_lead": r"(?:es|parece|tiene|tienes|se trata de|puede ser|hay)",
        "article": r"un\s+|una\s+|la\s+|el\s+|unas\s+|unos\s+",
    },
    "en": {
        "drug": ("ibuprofen", "paracetamol", "acetaminophen", "amoxicillin", "antibiotic",
                 "antibiotics", "anti-inflammatory", "anti-inflammatories", "painkiller",
                 "painkillers", "advil", "tylenol", "nurofen", "chlorhexidine",
                 "metronidazole", "clindamycin", "penicillin", "aspirin"),
        "dosage": ("tablet", "tablets", "pill", "pills", "capsule", "capsules", "dose",
                   "dosage", "twice a day", "times a day", "times daily", "on an empty stomach"),
        "frequency": rf"every\s+(?:{_NUMBER['en']})\s+hours?",
        "diagnosis": ("infection", "abscess", "cavity", "cavities", "caries", "pulpitis",
                      "cyst", "periodontitis", "gingivitis", "fracture", "necrosis",
                      "inflammation"),
        "diagnosis_lead": r"(?:it's|it is|its|this is|that's|that is|looks like|"
                          r"seems like|you have|you've got|could be|there's|there is)",
        "article": r"an\s+|a\s+|the\s+|some\s+",
    },
}  # fmt: skip


def _clinical_patterns(code: str) -> list[tuple[str, re.Pattern]]:
    terms = CLINICAL_TERMS[code]
    diagnosis = (
        rf"{terms['diagnosis_lead']}\s+(?:\w+\s+)?(?:{terms['article']})?"
        rf"(?:{_words(terms['diagnosis'])})"
    )
    return [
        ("drug", _whole(_words(terms["drug"]))),
        ("dosage", _whole(_words(terms["dosage"]))),
        ("dosage", _whole(_UNIT)),
        ("dosage", _whole(terms["frequency"])),
        ("dosage", _whole(rf"(?:{_NUMBER[code]})\s+(?:{_words(terms['dosage'])})")),
        ("diagnosis", _whole(diagnosis)),
    ]


_CLINICAL = {code: _clinical_patterns(code) for code in CLINICAL_TERMS}


def find_clinical_advice(text: str | None, lang: str | None = None) -> list[Finding]:
    """Drug names, dosages and diagnoses in ``text``: content for a dentist's template.

    ``lang`` (``"it"``, ``"es_ES"``...) limits the lists to one language; ``None`` or an
    unknown language checks all of them.
    """
    patterns = [p for code in _languages(lang, CLINICAL_TERMS) for p in _CLINICAL[code]]
    return _find(text, patterns, "clinical")


# --------------------------------------------------------------------- personal content
PERSONAL_TERMS = {
    "it": {
        "endearment": ("tesoro", "tesorino", "amore", "amore mio", "bella", "bellissima",
                       "bellezza", "carina", "cucciola", "piccola", "dolcezza", "principessa",
                       "sei bella", "sei bellissima"),
        "affection": ("ti penso", "penso a te", "mi manchi", "un bacio", "baci", "bacio",
                      "bacione", "bacioni", "ti voglio bene"),
        "invitation": ("ci vediamo stasera", "a cena", "cena insieme", "un caffe insieme",
                       "usciamo", "stasera sei libera"),
    },
    "es": {
        "endearment": ("guapa", "guapo", "guapisima", "carino", "mi amor", "amor", "preciosa",
                       "bonita", "linda", "mi cielo", "mi vida"),
        "affection": ("te extrano", "pienso en ti", "un beso", "besos", "besitos", "te quiero"),
        "invitation": ("nos vemos esta noche", "a cenar", "una cena", "cenar juntos",
                       "un cafe juntos", "tomar algo"),
    },
    "en": {
        "endearment": ("sweetheart", "sweetie", "honey", "babe", "baby", "darling", "gorgeous",
                       "beautiful", "sexy", "cutie", "handsome"),
        "affection": ("miss you", "thinking of you", "kiss", "kisses", "xoxo", "love you"),
        "invitation": ("see you tonight", "dinner", "a drink", "drinks", "are you free tonight"),
    },
}  # fmt: skip
# A capitalised word right after one of these is a surname ("signora Bella").
HONORIFICS = ("sig", "sig.ra", "sig.na", "signora", "signorina", "signor", "signore", "dott",
              "dott.ssa", "dottor", "dottore", "dottoressa", "sr", "sra", "srta", "senor",
              "senora", "senorita", "don", "dona", "dr", "mr", "mrs", "ms", "miss")  # fmt: skip
_HONORIFIC_BEFORE = re.compile(rf"(?<!\w)(?:{_words(HONORIFICS)})\.?\s+$")

_PERSONAL = {
    code: [(reason, _whole(_words(words))) for reason, words in table.items()]
    for code, table in PERSONAL_TERMS.items()
}


def find_personal_content(text: str | None, lang: str | None = None) -> list[Finding]:
    """Endearments, affection and invitations in ``text``: warnings for the dentist to
    review (surnames and compliments on a smile are known false positives)."""
    patterns = [p for code in _languages(lang, PERSONAL_TERMS) for p in _PERSONAL[code]]
    findings = []
    for finding in _find(text, patterns, "personal"):
        before = _fold(text[: finding.start])[0]
        if finding.match[:1].isupper() and _HONORIFIC_BEFORE.search(before):
            continue  # "signora Bella", "Mrs Honey": a name, not an endearment
        findings.append(finding)
    return findings
