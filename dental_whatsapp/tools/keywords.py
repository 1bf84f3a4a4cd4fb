"""Opt-out keywords in a patient's message.

Only a message that is the keyword (with at most a polite word around it) counts: an
ambiguous sentence that merely contains one ("alto dolore", "la baja de la muela") is
never an opt-out.
"""

import re
import unicodedata

DEFAULT_OPT_OUT_KEYWORDS = ("stop", "basta", "cancella", "baja", "alto", "unsubscribe",
                            "disiscrivi", "parar")
POLITE_WORDS = frozenset({"please", "per", "favore", "grazie", "por", "gracias", "thanks",
                          "thank", "you", "favor", "prego", "obrigado", "obrigada"})


def normalize_text(text):
    """Casefolded, accents and punctuation/emoji removed, single spaces."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^\w\s]", " ", text.casefold())
    return " ".join(text.split())


def parse_keywords(config):
    """An administrator's setting ("STOP, BASTA\\nBAJA") as normalised keywords."""
    return tuple(k for k in (normalize_text(p) for p in re.split(r"[,;\n]", config or "")) if k)


def is_opt_out(text, keywords=DEFAULT_OPT_OUT_KEYWORDS):
    words = normalize_text(text).split()
    keywords = {normalize_text(k) for k in keywords}
    if not words:
        return False
    hits = [w for w in words if w in keywords]
    rest = [w for w in words if w not in keywords and w not in POLITE_WORDS]
    return len(hits) >= 1 and not rest
