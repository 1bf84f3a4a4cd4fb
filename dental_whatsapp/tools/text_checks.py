"""Policy checks on the free text staff type to a patient.

Each check returns :class:`Finding` objects (what, where, why); the Odoo side turns
them into translated refusals or warnings. Five families (spelling is in spelling.py):

* emoji (:func:`check_emoji`): ``ambiguous`` ones (hearts, kisses, winks, innuendo)
  have no place in a patient conversation; ``unlisted`` ones are neither known neutral
  nor ambiguous and are only reported when the caller asks.
* clinical advice (:func:`find_clinical_advice`): drug names, dosages and diagnoses
  belong in a template the dentist approved, not in reception free text.
* personal content (:func:`find_personal_content`): endearments and invitations, to
  alert the dentist. These are *warnings for a human to review, never silent blocks*:
  words like "Bella" are also surnames ("Buongiorno signora Bella" is skipped because a
  title precedes the capitalised word, but "Maria Bella" is still reported).
* personal matters (:func:`find_personal_matters`): politics, religion, football and
  chain letters, which nobody in the practice has an opinion on. Warnings too.
* argument (:func:`find_argument`): blame, contradiction, shouting and "!!" in a reply
  to an upset patient. Warnings for the receptionist, never blocks.

Word lists are data, per language (``it``, ``es``, ``en``; ``pt`` too for the last two
families), matched on whole words, case- and accent-insensitively.
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
    kind: str  # "emoji", "clinical", "personal", "personal_matter", "argument", "spelling"
    match: str  # the text as the staff member typed it
    start: int
    end: int
    reason: str = ""  # emoji: ambiguous/unlisted; clinical: drug/dosage/diagnosis; ...
    suggestions: tuple = ()  # spelling: replacements, most likely first


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


# --------------------------------------------------------------------- personal matters
# "In the practice nobody has a football team, a party or a religion." Reception free
# text is checked for politics, religion, football and chain letters, as warnings a
# human reviews. The lists are phrases, not words, wherever a word has an everyday
# meaning in a dental practice:
#
# * left and right are sides of the mouth ("il molare in basso a destra", "quello di
#   sinistra", "a la izquierda", "lado direito"): only party talk counts ("sono di
#   sinistra", "de derechas", "sou de esquerda");
# * Spanish and Portuguese "partido" is also "broken" ("diente partido"), Italian
#   "partito" is "left" ("è partito"), "partita IVA" is a VAT number, "calcio" is calcium,
#   "stadio" a stage, "liga" an orthodontic band, "mass" a lump, "temple" the side of the
#   head, "penalty" a late-cancellation fee, "voto" a mark, "podemos" "we can", "chega"
#   "enough", "cura" a cure, "política de privacidad" a policy, "papá" (folded "papa")
#   dad, "my team" the practice's staff: none of them counts alone;
# * city and district names (Roma, Milano, Napoli, Madrid, Porto, Liverpool, Benfica,
#   Flamengo) count as teams only in a football context: "forza Roma", "hai visto il
#   Milan?", "la partita contro la Lazio", "torço pelo Benfica";
# * playing football is how a tooth breaks ("jugando al fútbol", "hit by a football",
#   "giocando a calcio"): the sport counts only as talk about the game ("the football
#   last night", "¿le gusta el fútbol?");
# * saints and churches are streets, landmarks and days ("via San Giovanni", "Church
#   Road", "frente a la iglesia"), "Natale" and "Pasqua" holidays, Rosario and
#   Cristiano first names;
# * interjections are not religion talk: "Dio mio", "grazie a Dio", "oddio", "ojalá",
#   "gracias a Dios", "thank God", "oh my God", "graças a Deus", "se Deus quiser" are not
#   reported. A blessing is: "Dio la benedica", "God bless you", "Dios le bendiga",
#   "Deus te abençoe", "fique com Deus";
# * "la prego", "la preghiamo di" and "preghiera di" are Italian for "please": praying
#   counts only as praying *for* someone;
# * forwarding is a reception task ("le inoltro la fattura", "please forward this to
#   your insurer", "encaminhe para o seu e-mail"): it counts as a chain letter only with
#   a number of people or all the patient's friends and contacts.
#
# Phrases are folded (lowercase, no accents, plain apostrophes) and matched on whole
# words; spaces match any run of spaces.
PERSONAL_MATTERS = {
    "it": {
        "politics": (
            "politico", "politici", "partito politico", "il partito", "al partito",
            "del partito", "il mio partito", "partito democratico", "fratelli d'italia",
            "forza italia", "movimento 5 stelle", "m5s", "grillini", "centrodestra",
            "centrosinistra", "comunista", "comunisti", "fascista", "fascisti",
            "fascismo", "comunismo", "meloni", "salvini", "schlein", "berlusconi",
            "mattarella", "trump", "putin", "questo governo", "colpa del governo",
            "governo ladro", "al governo", "ho votato", "andare a votare",
            "vado a votare", "per chi voti", "per chi vota", "campagna elettorale",
            "vinto le elezioni", "perso le elezioni", "referendum",
        ),
        "religion": (
            "religione", "religioni", "religioso", "religiosa", "in chiesa",
            "chiesa cattolica",
            "credo in dio", "credi in dio", "crede in dio", "la fede in dio",
            "dio la benedica", "dio ti benedica", "dio vi benedica",
            "il signore la benedica", "cattolico", "cattolici", "cristiani",
            "musulmano", "musulmana", "musulmani", "islam", "ebreo", "ebrea", "ebrei",
            "ateo", "atea", "atei", "buddista", "testimoni di geova",
            "testimone di geova", "il prete", "un prete", "sacerdote", "parroco",
            "bibbia", "vangelo", "corano", "ramadan", "quaresima", "moschea", "sinagoga",
            "papa francesco", "papa leone", "vaticano",
        ),
        "football": (
            "partita di calcio", "squadra di calcio", "calcio di rigore", "fantacalcio",
            "calciomercato", "juve", "juventus", "juventino", "juventina", "interista",
            "milanista", "romanista", "nerazzurri", "rossoneri", "bianconeri",
            "giallorossi", "scudetto", "derby", "champions", "champions league",
            "coppa italia", "in serie a", "della serie a", "campionato di calcio",
            "i mondiali", "ai mondiali", "gol", "arbitro", "tifoso", "tifosa", "tifosi",
        ),
        "chain_letter": (
            "catena di sant'antonio", "non spezzare la catena", "non rompere la catena",
            "a tutti i tuoi contatti", "porta fortuna", "porta sfortuna",
            "portera fortuna", "ti portera fortuna", "anni di sfortuna",
            "se non lo inoltri", "se non la inoltri", "se non lo condividi",
        ),
    },
    "es": {
        "politics": (
            "politico", "politicos", "partido politico", "partido popular",
            "partido socialista", "el pp", "al pp", "del pp", "voto al", "psoe", "vox",
            "votar a podemos", "unidas podemos", "de izquierdas", "de derechas",
            "la extrema derecha",
            "la extrema izquierda", "comunista", "comunistas", "fascista", "fascistas",
            "facha", "fachas", "feijoo", "abascal", "milei", "puigdemont",
            "trump", "putin", "este gobierno", "culpa del gobierno", "votar",
            "he votado", "votaste", "votare", "las elecciones", "campana electoral",
            "independentistas", "referendum",
        ),
        "religion": (
            "religion", "religiones", "religioso", "religiosa", "rezar", "rezo por",
            "rezare por", "rezamos por", "oracion", "oraciones", "misa", "en la iglesia",
            "creo en dios", "cree en dios", "dios le bendiga", "dios te bendiga",
            "dios la bendiga", "dios lo bendiga", "catolico", "catolica", "catolicos",
            "cristianos", "musulman", "musulmana", "musulmanes", "judio", "judia",
            "judios", "evangelico", "evangelicos", "testigos de jehova", "ateo", "atea",
            "ateos", "sacerdote", "el cura", "un cura", "parroco", "biblia", "coran",
            "ramadan", "cuaresma", "mezquita", "sinagoga", "papa francisco", "vaticano",
        ),
        "football": (
            "el futbol", "partido de futbol", "equipo de futbol", "liga de futbol",
            "aficionado al futbol", "real madrid", "hala madrid", "atletico de madrid",
            "el atleti", "el barca", "del barca", "el clasico", "derbi", "champions",
            "la liga de futbol", "el mundial", "gol", "golazo", "penalti", "arbitro",
            "hincha", "hinchas", "los merengues", "los colchoneros", "cule", "cules",
        ),
        "chain_letter": (
            "cadena de la suerte", "no rompas la cadena", "a todos tus contactos",
            "te traera suerte", "traera buena suerte", "trae mala suerte",
            "anos de mala suerte", "si no lo reenvias", "si no lo compartes",
        ),
    },
    "en": {
        "politics": (
            "politics", "political", "politician", "politicians", "vote for",
            "voted for", "voting for", "who did you vote", "election campaign",
            "won the election", "lost the election", "democrats", "republicans",
            "labour party", "vote labour", "voted labour", "tory", "tories",
            "conservative party", "lib dems", "reform uk", "brexit", "trump", "biden",
            "putin", "left-wing", "right-wing", "leftist", "leftists", "far right",
            "far left", "communist", "communists", "fascist", "fascists",
            "this government",
        ),
        "religion": (
            "religion", "religious", "pray for you", "praying for you", "i pray",
            "i'll pray", "we pray", "prayers", "at church", "to church", "in church",
            "after church", "at mass", "to mass", "sunday mass", "believe in god",
            "god bless", "jesus loves you", "bible", "mosque", "synagogue", "muslim",
            "muslims", "catholic", "catholics", "jewish", "atheist", "atheists", "islam",
            "ramadan", "jehovah", "priest", "vicar", "the pope",
        ),
        "football": (
            "the football", "football match", "football game", "football team",
            "football club", "football fan", "soccer game", "soccer team",
            "the match last night", "the match yesterday", "watch the match",
            "watched the match", "see the match", "the game last night",
            "the game yesterday", "watched the game", "premier league", "champions league",
            "world cup", "fa cup", "man united", "manchester united", "man utd",
            "man city", "manchester city", "arsenal", "come on you reds",
            "come on you blues", "your team won", "your team lost", "the referee",
        ),
        "chain_letter": (
            "chain letter", "break the chain", "to all your contacts",
            "bring you good luck", "bring you luck", "years of bad luck",
            "or you will have bad luck", "if you don't forward", "if you don't share",
        ),
    },
    "pt": {
        "politics": (
            "politico", "politicos", "partido politico", "partido socialista",
            "a extrema direita", "a extrema esquerda", "comunista", "comunistas",
            "fascista", "fascistas", "bolsonaro", "bolsonarista", "lula", "petista",
            "petistas", "trump", "putin", "este governo", "culpa do governo", "votar",
            "votei", "votou", "votaste", "as eleicoes", "campanha eleitoral",
        ),
        "religion": (
            "religiao", "religioes", "religioso", "religiosa", "rezar", "rezo por",
            "rezarei por", "orar", "oracao", "oracoes", "missa", "na igreja",
            "creio em deus", "acredita em deus", "deus te abencoe", "deus o abencoe",
            "deus a abencoe", "deus abencoe", "fique com deus", "va com deus",
            "catolico", "catolica", "catolicos", "evangelico", "evangelica",
            "evangelicos", "crente", "crentes", "muculmano", "muculmana", "judeu",
            "judia", "judeus", "ateu", "ateia", "testemunhas de jeova", "o pastor",
            "biblia", "alcorao", "ramadao", "ramadan", "quaresma", "mesquita",
            "sinagoga", "papa francisco", "vaticano",
        ),
        "football": (
            "o futebol", "jogo de futebol", "time de futebol", "clube de futebol",
            "equipa de futebol", "o jogo de ontem", "o jogo de hoje", "o jogo de domingo",
            "assistir ao jogo", "viu o jogo", "benfiquista", "sportinguista", "portista",
            "flamenguista", "corinthians", "brasileirao", "o classico", "golo", "golaco",
            "gol", "o arbitro", "torcedor", "torcedora", "torcedores",
            "a selecao brasileira", "a selecao portuguesa", "o mundial", "a copa do mundo",
        ),
        "chain_letter": (
            "corrente da sorte", "nao quebre a corrente", "a todos os seus contatos",
            "a todos os seus contactos", "para todos os seus contatos",
            "para todos os seus contactos", "trara sorte", "da azar", "anos de azar",
            "se nao encaminhar", "se nao partilhar", "se nao compartilhar",
        ),
    },
}  # fmt: skip
# "politica" is also a policy ("politica di cancellazione", "política de privacidad").
_POLICY_AFTER = (r"(?!\s+(?:di|della|dello|del|dei|delle|degli|sulla|sul|sui|per|in|"
                 r"aziendale|commerciale|interna|tariffaria|sanitaria|de|da|do|dos|das|"
                 r"sobre|para|en|em|comercial|empresarial))")  # fmt: skip
# "la messa in piega" (a blow-dry) and "la messa a punto del bite" are not Mass.
_RELIGION_CONTEXT = {
    "it": (
        r"(?:a|alla|la|dopo\s+la|prima\s+della|santa)\s+messa"
        r"(?!\s+(?:in\s+\w+|a\s+punto|a\s+fuoco|a\s+disposizione|a\s+norma))",
        r"(?:prego|preghero|preghiamo|pregheremo|pregare|prega|pregate|pregando)\s+per\s+"
        r"(?:te|lei|voi|lui|loro|tutti|sua|tua|suo|tuo|la\s+sua|la\s+tua|il\s+suo|"
        r"il\s+tuo)(?!\w)",
    ),
    "es": (),
    "en": (),
    "pt": (),
}
_POLITICS_CONTEXT = {
    "it": (
        rf"politica{_POLICY_AFTER}",
        r"(?:sono|sei|e|siamo|siete|partito|partiti|governo|gente|elettori|politico|"
        r"politici|voto|votare|votato)\s+(?:di|a)\s+(?:destra|sinistra)",
    ),
    "es": (rf"politica{_POLICY_AFTER}",),
    "en": (),
    "pt": (
        rf"politica{_POLICY_AFTER}",
        r"(?:sou|es|e|somos|sao|partido|partidos|governo|gente|eleitores|politico|"
        r"politicos)\s+de\s+(?:esquerda|direita)",
    ),
}
# Teams named after cities and districts count with football words around them.
_TEAMS = {
    "it": r"(?:la\s+|il\s+|l')?(?:juve|juventus|inter|milan|roma|lazio|napoli|fiorentina|"
          r"atalanta|torino|toro|genoa|sampdoria|bologna)",
    "es": r"(?:el\s+|la\s+)?(?:madrid|barca|barcelona|atleti|atletico|betis|sevilla|"
          r"valencia|athletic|real\s+sociedad|boca|river)",
    "en": r"(?:the\s+)?(?:arsenal|chelsea|liverpool|united|city|spurs|everton|newcastle|"
          r"leeds|villa|celtic|rangers|gunners|reds|blues|tottenham)",
    "pt": r"(?:o\s+)?(?:benfica|sporting|porto|braga|flamengo|corinthians|palmeiras|"
          r"santos|gremio|vasco|fluminense|sao\s+paulo|botafogo|cruzeiro)",
}  # fmt: skip
_FOOTBALL_CONTEXT = {
    "it": (
        rf"(?:forza|tifo\s+(?:per\s+)?|tifa\s+(?:per\s+)?|tifoso\s+(?:della|del|dell')|"
        rf"hai\s+visto|ha\s+visto|avete\s+visto|ha\s+vinto|hanno\s+vinto|ha\s+perso|"
        rf"hanno\s+perso|ha\s+pareggiato|contro)\s+{_TEAMS['it']}",
        r"(?:la|una|alla|della|dopo\s+la|vista\s+la|visto\s+la)\s+partita\s+"
        r"(?:di\s+(?:ieri|stasera|oggi|domani|domenica|sabato|calcio|campionato|coppa)|"
        r"del|della|dell'|contro|ieri|stasera|oggi)",
    ),
    "es": (
        rf"(?:hala|visca|aupa|forza|vamos|soy\s+del|es\s+del|eres\s+del|hincha\s+del|"
        rf"ha\s+ganado|gano|ha\s+perdido|perdio|contra)\s+{_TEAMS['es']}",
        r"(?:el|del|al|ver\s+el|viste\s+el|vio\s+el)\s+partido\s+"
        r"(?:de\s+(?:ayer|hoy|manana|esta\s+noche|anoche|futbol|liga|champions)|del|"
        r"contra)",
    ),
    "en": (
        rf"(?:come\s+on|up|support|supports|supporting|a\s+fan\s+of|beat|beaten\s+by|"
        rf"lost\s+to|won\s+against|against)\s+{_TEAMS['en']}"
        rf"(?=\s*(?:[!.,?]|$|fc|won|lost|play|game|match))",
    ),
    "pt": (
        rf"(?:forca|vai|torco\s+(?:pelo|pela|para\s+o)|torce\s+(?:pelo|pela|para\s+o)|"
        rf"ganhou\s+o|perdeu\s+o|contra\s+o)\s+{_TEAMS['pt']}",
        r"(?:o|do|ao|ver\s+o|viu\s+o)\s+jogo\s+(?:do|da|contra)\s+\w+",
    ),
}  # fmt: skip
# Chain letters: "forward this to 10 people", "inoltralo a tutti i tuoi contatti".
_HOW_MANY = {
    "it": r"(?:\d+|tre|quattro|cinque|sei|sette|otto|nove|dieci|dodici|quindici|venti|"
          r"trenta|cento)",
    "es": r"(?:\d+|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce|quince|veinte|"
          r"treinta|cien)",
    "en": r"(?:\d+|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|"
          r"thirty|hundred)",
    "pt": r"(?:\d+|tres|quatro|cinco|seis|sete|oito|nove|dez|doze|quinze|vinte|trinta|"
          r"cem)",
}  # fmt: skip
_FORWARD = {
    "it": r"(?:inoltra|inoltralo|inoltrala|inoltrate|inoltratelo|inoltrare|invia|invialo|"
          r"inviala|inviate|manda|mandalo|mandala|mandate|condividi|condividilo|"
          r"condividila|condividete|giralo|girala|gira|passalo|passala)"
          r"(?:\s+(?:questo|il)\s+messaggio)?",
    "es": r"(?:reenvia|reenvialo|reenviala|reenvie|reenvielo|envia|envialo|enviala|manda|"
          r"mandalo|mandala|comparte|compartelo|compartela|pasalo|pasala)"
          r"(?:\s+(?:este|el)\s+mensaje|\s+esto)?",
    "en": r"(?:forward|send|share|pass)(?:\s+(?:this|it)(?:\s+message)?)?",
    "pt": r"(?:encaminhe|encaminha|encaminhem|envie|envia|enviem|mande|manda|compartilhe|"
          r"compartilha|partilhe|partilha|reenvie|reenvia|repasse|repassa|passe)"
          r"(?:\s+(?:esta|essa|a)\s+mensagem|\s+isto|\s+isso)?",
}  # fmt: skip
_FORWARD_TO_WHOM = {
    "it": rf"(?:a|con)\s+(?:almeno\s+)?(?:{_HOW_MANY['it']}\s+(?:persone|amici|amiche|"
          rf"contatti|gruppi)|tutti\s+i\s+tuoi\s+(?:contatti|amici)|"
          rf"tutti\s+quelli\s+che\s+conosci)",
    "es": rf"(?:a|con)\s+(?:al\s+menos\s+)?(?:{_HOW_MANY['es']}\s+(?:personas|amigos|"
          rf"amigas|contactos|grupos)|todos\s+tus\s+(?:contactos|amigos))",
    "en": rf"(?:to|with)\s+(?:at\s+least\s+)?(?:{_HOW_MANY['en']}\s+(?:people|friends|"
          rf"contacts|groups)|everyone\s+you\s+know|everybody\s+you\s+know|"
          rf"all\s+your\s+(?:friends|contacts)|your\s+friends)",
    "pt": rf"(?:a|para|com)\s+(?:pelo\s+menos\s+)?(?:{_HOW_MANY['pt']}\s+(?:pessoas|"
          rf"amigos|amigas|contatos|contactos|grupos)|todos\s+os\s+seus\s+"
          rf"(?:contatos|contactos|amigos))",
}  # fmt: skip


def _personal_matter_patterns(code: str) -> list[tuple[str, re.Pattern]]:
    patterns = [(reason, _whole(_words(words))) for reason, words in
                PERSONAL_MATTERS[code].items()]  # fmt: skip
    patterns += [("politics", _whole(p)) for p in _POLITICS_CONTEXT[code]]
    patterns += [("religion", _whole(p)) for p in _RELIGION_CONTEXT[code]]
    patterns += [("football", _whole(p)) for p in _FOOTBALL_CONTEXT[code]]
    patterns.append(("chain_letter", _whole(rf"{_FORWARD[code]}\s+{_FORWARD_TO_WHOM[code]}")))
    return patterns


_PERSONAL_MATTERS = {code: _personal_matter_patterns(code) for code in PERSONAL_MATTERS}


def find_personal_matters(text: str | None, lang: str | None = None) -> list[Finding]:
    """Politics, religion, football and chain letters in ``text``: warnings for a human.

    ``reason`` is ``"politics"``, ``"religion"``, ``"football"`` or ``"chain_letter"``.
    ``lang`` (``"it"``, ``"pt_BR"``...) limits the lists to one language; ``None`` or an
    unknown language checks all of them. Interjections ("grazie a Dio", "ojalá") are not
    religion talk, blessings ("Dio la benedica") are; the notes above the lists say which
    everyday words are left out on purpose.
    """
    patterns = [p for code in _languages(lang, PERSONAL_MATTERS) for p in _PERSONAL_MATTERS[code]]
    findings = []
    for finding in _find(text, patterns, "personal_matter"):
        before = _fold(text[: finding.start])[0]
        if finding.match[:1].isupper() and _HONORIFIC_BEFORE.search(before):
            continue  # "signora Meloni": a patient's surname, not a politician
        findings.append(finding)
    return findings


# ----------------------------------------------------------------------------- argument
# A reply to a heated patient that argues back: blame, contradiction, shouting. Shown to
# the receptionist as a warning, never a silent block. Phrases are folded like the lists
# above; "non ha torto" and "you are not wrong" agree, and do not match.
ARGUMENT_TERMS = {
    "it": {
        "accusation": (
            "e colpa sua", "e colpa tua", "e colpa vostra", "la colpa e sua",
            "la colpa e tua", "colpa sua", "lei non ha capito", "non ha capito niente",
            "non ha capito nulla", "lei non capisce", "non capisce niente",
            "lei non ascolta", "non mi ascolta", "non ascolta mai", "lei non legge",
            "non legge mai", "lei mente", "sta mentendo", "lei e maleducato",
            "lei e maleducata", "e un problema suo", "e problema suo", "se avesse letto",
            "doveva leggere", "lei pretende", "lei e sempre in ritardo",
        ),
        "contradiction": (
            "lei ha torto", "hai torto", "non e vero", "non e affatto vero", "e falso",
            "si sbaglia", "ti sbagli", "lei sbaglia", "come le ho gia detto",
            "come le ho detto", "come le avevo detto", "come le avevo gia detto",
            "come ho gia detto", "come gia detto", "come gia le ho detto",
            "come le ripeto", "glielo ripeto", "gliel'ho gia detto", "gliel'ho detto",
            "non e andata cosi",
        ),
    },
    "es": {
        "accusation": (
            "es culpa suya", "es culpa tuya", "es su culpa", "la culpa es suya",
            "la culpa es tuya", "usted miente", "esta mintiendo", "usted no ha entendido",
            "no ha entendido nada", "usted no entiende", "no entiende nada",
            "usted no escucha", "no me escucha", "nunca escucha", "usted no lee",
            "es problema suyo", "eso es su problema", "usted es un maleducado",
            "usted es una maleducada", "si hubiera leido",
        ),
        "contradiction": (
            "no es verdad", "no es cierto", "eso es mentira", "es mentira", "es falso",
            "usted se equivoca", "se equivoca", "esta equivocado", "esta equivocada",
            "no tiene razon", "como ya le dije", "como le dije", "como ya le he dicho",
            "como le he dicho", "como ya le explique", "se lo repito", "como le repito",
            "ya se lo dije",
        ),
    },
    "en": {
        "accusation": (
            "your fault", "you never listen", "you don't listen", "you do not listen",
            "you didn't listen", "you didn't read", "you did not read", "you never read",
            "you don't understand", "you didn't understand", "you're lying",
            "you are lying", "you lied", "that's your problem", "not our problem", "you people",
            "how dare you",
            "you should have read", "if you had read", "that's on you", "you're rude",
            "you are rude", "you're always late", "you are always late",
        ),
        "contradiction": (
            "you are wrong", "you're wrong", "that's not true", "that is not true",
            "not true", "that's false", "you're mistaken", "you are mistaken",
            "as i already told you", "as i told you", "as i already said", "as i said",
            "like i said", "i repeat", "i've already told you", "i already told you",
        ),
    },
    "pt": {
        "accusation": (
            "a culpa e sua", "a culpa e tua", "e culpa sua", "culpa sua",
            "voce nao entendeu", "o senhor nao entendeu", "a senhora nao entendeu",
            "nao entendeu nada", "voce nao ouve", "voce nunca ouve", "nao me escuta",
            "voce nao escuta", "voce nao leu", "voce esta mentindo", "voce mente",
            "o senhor mente", "a senhora mente", "esta a mentir", "o problema e seu",
            "e problema seu", "se tivesse lido",
        ),
        "contradiction": (
            "nao e verdade", "e mentira", "e falso", "voce esta errado", "voce esta errada",
            "o senhor esta errado", "a senhora esta errada", "esta enganado",
            "esta enganada", "nao tem razao", "como ja lhe disse", "como ja disse",
            "como eu disse", "como ja te disse", "como lhe disse", "ja lhe disse",
        ),
    },
}  # fmt: skip
# Not shouting: a short word in capitals is an acronym or the practice's initials.
ACRONYMS = frozenset(
    "IBAN SMS OK PDF RX ASL ATS IVA DNI NIE NIF CIF CPF CNPJ RG SUS NHS GP TAC RMN OPT "
    "CUP INPS ISEE SSN PEC CAP FAQ URL QR USB WIFI CF TS ID IT ES PT EN UK EU USA FC "
    "PS NB PM AM".split()
)
_SHORT_CAPS = 4  # a lone word in capitals up to this long is not shouting
_CAPS_WORD = re.compile(r"(?<!\w)[^\W\d_]+(?:['\u2019][^\W\d_]+)*(?!\w)")
# "if you don't understand the form, call us": a condition, not an accusation; "it's
# not your fault", "non è colpa sua", "no se equivoca": reassurance.
_CONDITION_BEFORE = re.compile(
    r"(?:(?<!\w)(?:if|se|si|caso|qualora|not|non|no|nao|never|mai)|n't)\s+$"
)
_EXCLAMATIONS = re.compile(r"[!?¡¿]*(?:!!|\?!|!\?|¡¡)[!?¡¿]*")


def _is_caps(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _shouting(text: str) -> list[Finding]:
    """Runs of words in capitals: two words or more, or one longer than an acronym.
    Acronyms and single letters do not count; a name after a title ("Sig. ROSSI") is
    not shouting."""
    findings, run = [], []

    def close():
        loud = [w for w in run if len(w.group()) > 1 and w.group() not in ACRONYMS]
        if len(loud) >= 2 or any(len(w.group()) > _SHORT_CAPS for w in loud):
            while run and run[0] not in loud:
                run.pop(0)
            while run and run[-1] not in loud:
                run.pop()
            start, end = run[0].start(), run[-1].end()
            if not _HONORIFIC_BEFORE.search(_fold(text[:start])[0]):
                findings.append(Finding("argument", text[start:end], start, end, "shouting"))
        run.clear()

    for word in _CAPS_WORD.finditer(text):
        if not _is_caps(word.group()) or (run and "\n" in text[run[-1].end() : word.start()]):
            close()
        if _is_caps(word.group()):
            run.append(word)
    close()
    return findings


_ARGUMENT = {
    code: [(reason, _whole(_words(words))) for reason, words in table.items()]
    for code, table in ARGUMENT_TERMS.items()
}


def find_argument(text: str | None, lang: str | None = None) -> list[Finding]:
    """Blame, contradiction, shouting and repeated exclamation marks in ``text``.

    ``reason`` is ``"accusation"`` ("è colpa sua", "you never listen"),
    ``"contradiction"`` ("non è vero", "come le ho già detto"), ``"shouting"`` (words
    in capitals, see :data:`ACRONYMS`) or ``"exclamations"`` ("!!", "?!"). Warnings for
    the receptionist, never blocks. A shouted phrase can be reported twice, as what it
    says and as shouting. ``lang`` works as in :func:`find_clinical_advice`.
    """
    if not text:
        return []
    patterns = [p for code in _languages(lang, ARGUMENT_TERMS) for p in _ARGUMENT[code]]
    findings = [
        f
        for f in _find(text, patterns, "argument")
        if not _CONDITION_BEFORE.search(_fold(text[: f.start])[0])
    ] + _shouting(text)
    findings += [
        Finding("argument", m.group(), m.start(), m.end(), "exclamations")
        for m in _EXCLAMATIONS.finditer(text)
    ]
    return sorted(findings, key=lambda f: (f.start, -f.end))
