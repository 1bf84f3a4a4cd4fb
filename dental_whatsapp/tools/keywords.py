"""Opt-out and re-consent keywords in a patient's message.

Only a message that *is* the keyword counts, optionally with a polite word or a greeting
around it ("STOP", "Stop please", "basta grazie", "🛑 STOP!!"). A sentence that merely
contains one ("alto dolore al dente", "la baja de la muela", "stop al semaforo") is never
an opt-out: an ambiguous message must not silently change a patient's consent. A
question ("Basta?" - "is that enough?") is not one either.

Keywords may be several words ("dar de baja"); the administrator's list replaces the
defaults (see :func:`parse_keywords`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

DEFAULT_OPT_OUT_KEYWORDS = (
    "STOP",
    "BASTA",
    "CANCELLA",
    "BAJA",
    "ALTO",
    "UNSUBSCRIBE",
    "DISISCRIVI",
    "PARAR",
)
DEFAULT_OPT_IN_KEYWORDS = ("START", "ISCRIVI", "ALTA")

# Words that may surround a keyword without making the message ambiguous; several
# words are one phrase ("per favore" is polite, "per" alone is not).
POLITE_PHRASES = (
    "please",
    "pls",
    "plz",
    "thanks",
    "thank you",
    "thx",
    "grazie",
    "grazie mille",
    "per favore",
    "per piacere",
    "prego",
    "gracias",
    "muchas gracias",
    "por favor",
    "obrigado",
    "obrigada",
    "ciao",
    "salve",
    "buongiorno",
    "buonasera",
    "hola",
    "hi",
    "hello",
)


def normalize_text(text: str | None) -> str:
    """Casefolded, accents removed, punctuation and emoji removed, single spaces.

    ``"  STÒP!! 🛑 "`` -> ``"stop"``; ``"l'appuntamento"`` -> ``"l appuntamento"``.
    """
    text = unicodedata.normalize("NFKD", (text or "").casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\W_]+", " ", text)
    return " ".join(text.split())


def parse_keywords(config: str | None) -> tuple[str, ...]:
    """An administrator's setting (``"STOP, BASTA\\nBAJA"``, commas, semicolons or new
    lines between keywords) as normalised keywords, duplicates and blanks removed."""
    keywords = (normalize_text(part) for part in re.split(r"[,;\n]", config or ""))
    return tuple(dict.fromkeys(k for k in keywords if k))


def _phrases(items: Iterable[str]) -> list[tuple[str, ...]]:
    """Normalised phrases as token tuples, longest first (so "thank you" beats "thank")."""
    tokens = {tuple(normalize_text(item).split()) for item in items}
    return sorted((t for t in tokens if t), key=lambda t: (-len(t), t))


_POLITE = _phrases(POLITE_PHRASES)


def _strip_polite(words: list[str]) -> list[str]:
    """``words`` without polite phrases at the start and at the end."""
    changed = True
    while words and changed:
        changed = False
        for phrase in _POLITE:
            size = len(phrase)
            if tuple(words[:size]) == phrase:
                words, changed = words[size:], True
            elif len(words) > size and tuple(words[-size:]) == phrase:
                words, changed = words[:-size], True
    return words


def matched_keyword(text: str | None, keywords: Iterable[str]) -> str | None:
    """The (normalised) keyword the whole message consists of, else ``None``.

    The message may repeat keywords ("stop stop", "basta stop") and have polite phrases
    before or after them, nothing else.
    """
    if not text or "?" in text or "¿" in text:
        return None
    words = _strip_polite(normalize_text(text).split())
    phrases = _phrases(keywords)
    first = None
    while words:
        phrase = next((p for p in phrases if tuple(words[: len(p)]) == p), None)
        if phrase is None:
            return None
        first = first or " ".join(phrase)
        words = words[len(phrase) :]
    return first


def is_opt_out(text: str | None, keywords: Iterable[str] = DEFAULT_OPT_OUT_KEYWORDS) -> bool:
    """Whether the message is an unambiguous request to stop messages."""
    return matched_keyword(text, keywords) is not None


def is_opt_in(text: str | None, keywords: Iterable[str] = DEFAULT_OPT_IN_KEYWORDS) -> bool:
    """Whether the message is an unambiguous request to receive messages again."""
    return matched_keyword(text, keywords) is not None
