"""Spelling of the free text staff type to a patient, in the patient's language.

:func:`check_spelling` returns a :class:`~dental_whatsapp.tools.text_checks.Finding`
(``kind="spelling"``, ``reason="unknown"``, ``suggestions``) for each word the
dictionary of ``it``, ``es``, ``en`` or ``pt`` does not know. The dictionaries are
pyspellchecker's word-frequency lists (shipped inside the package, nothing is
downloaded), loaded once per process and language on first use, with the dental terms
and medicine names below added to them.

Not checked: numbers, times, dates and anything else with a digit, URLs, e-mail
addresses, emoji, acronyms (a word in capitals), and capitalised words that do not
start a sentence (names: of the practice, the staff, the patients). The caller passes
the names that can start a sentence too in ``known_words``.

Suggestions are words one edit away, the word with its accents restored first
("perche" -> "perché", "obturacao" -> "obturação"): a second edit costs half a second
per long word, too slow to run while a receptionist waits.

The Spanish and Italian lists hold few inflected forms, so simple inflection rules
(:data:`_INFLECTIONS`) accept a word that leads back to a listed one; a verb form they
miss is a false positive ("suggestions" is then empty), and a wrong ending that leads
back to a listed word ("appuntamenta") is a false negative. Warnings for a human, like
the other text checks.
"""

from __future__ import annotations

import functools
import itertools
import threading
import unicodedata

import regex
from spellchecker import SpellChecker

from .text_checks import HONORIFICS, Finding

SPELLING = "spelling"
UNKNOWN = "unknown"

# Dental terms, medicine names and reception words the word lists lack (each one checked
# against pyspellchecker 0.9.1's lists, built from film subtitles, not from a clinic).
DENTAL_WORDS = {
    "it": (
        "ablazione amoxicillina analgesico analgesici anestetico antibiotico antibiotici "
        "antidolorifico antidolorifici antinfiammatorio antinfiammatori augmentin aulin "
        "bite brufen bustina bustine canalare canalari canino canini carie cisti "
        "clindamicina clorexidina colluttorio cortisone curettage dentina detartrasi "
        "devitalizzazione devitalizzazioni disdire disdica dosaggio endodonzia endorale "
        "faccette fluoro fluoroprofilassi gengivite granuloma ibuprofene igienista "
        "igienizzazione implantare implantologia interdentale invisalign ketoprofene "
        "levigatura mascherina mascherine metronidazolo nimesulide odontoiatra "
        "odontoiatri odontoiatria ortodonzia ortodontista ortopanoramica "
        "ortopantomografia otturazione otturazioni paracetamolo parodontite "
        "parodontologia pedodonzia pedodontista posologia premolare premolari pulpite "
        "radiografia radiografie scovolino scovolini sigillatura sigillature "
        "sbiancamento splintaggio tachipirina tartaro allineatori email sms whatsapp "
        # reception words the list lacks
        "buongiorno buonasera buonanotte bancomat sanitario sanitaria ricontattare papà "
        "bar ok online link ticket weekend check impegnativa sedazione desensibilizzante"
    ),
    "es": (
        "alineadores amoxicilina clindamicina clorhexidina cordales dexketoprofeno "
        "empastes enantyum encías endodoncia gingivitis ibuprofeno implante implantes "
        "implantología invisalign metamizol metronidazol muelas nolotil ortodoncista "
        "ortopantomografía paracetamol periodoncia periodontitis premolares radiografías "
        "whatsapp parking email online link ok adjuntar"
    ),
    "en": (
        "chlorhexidine clindamycin implantology invisalign metronidazole nurofen "
        "orthopantomogram periodontitis whatsapp mouthguard mouthguards checkup"
    ),
    "pt": (
        "amoxicilina clareamento clindamicina clorexidina colutório destartarização "
        "dipirona endodontia ibuprofeno implantologia interdental invisalign "
        "metronidazol nimesulida ortodontia ortopantomografia paracetamol periodontia "
        "whatsapp ok email online"
    ),
}
# Words of the lists that, typed by a receptionist, are the accent-less typo ("pero",
# pear tree, for "però"), with their correction.
LIKELY_TYPOS = {
    "it": {"cosi": "così", "pero": "però"},
    "es": {},
    "en": {},
    "pt": {"amanha": "amanhã", "ate": "até"},
}
# Words that may end with an apostrophe: Italian elisions ("dell'", "c'") and
# truncations ("po'"); a typed accent ("perche'", "e'") is a typo.
APOSTROPHE_WORDS = {
    "it": frozenset(
        "l' un' dell' all' dall' nell' sull' coll' quest' quell' c' d' s' m' t' v' n' "
        "ch' com' dov' cos' tutt' sant' bell' buon' nessun' qualcos' po' mo' di' fa' va' "
        "sta' da' to'".split()
    ),
    "es": frozenset(),
    "en": frozenset(),
    "pt": frozenset(["d'"]),
}
# pyspellchecker's Spanish and Italian lists are filtered through lists of headwords,
# so they lack most plurals and verb forms ("gracias", "puede", "tenemos", "rispondiamo").
# A word is taken as known when an inflection rule leads back to a listed word: the
# suffix replaced by the listed form's ("confirmamos" -> "confirmar", "ritirarlo" ->
# "ritirare", "vacaciones" -> "vacación"), plus the irregular forms below. Rules are
# (suffixes, replacements): any suffix, any replacement.
_INFLECTIONS = {
    "es": (
        ("s es", ""),  # plurals
        ("amente", "a"),  # adverbs: "rápidamente", "normalmente", "felizmente"
        ("emente lmente zmente", "e l z"),
        ("o a os as", "o a"),
        (
            "o as a amos áis an é aste ó aron aba abas ábamos aban ará arás aré aremos "
            "arán aría arías aríamos arían e es emos en ando ado ada ados adas ara aran",
            "ar",
        ),
        (
            "o es e emos éis en í iste ió imos ieron ía ías íamos ían erá erás eré eremos "
            "erán ería erían a as amos an iendo ido ida idos idas",
            "er ir",
        ),
        ("irá irás iré iremos irán iría irían ís", "ir"),
        ("gue gues guemos guen gué", "gar"),  # llegar: "llegue"
        ("que ques quemos quen qué", "car"),  # explicar: "explique"
        ("ce ces cemos cen cé", "zar"),  # empezar: "empiece"
    ),
    "it": (
        ("o a i e", "o a i e"),  # gender and number
        ("amente", "a"),  # adverbs: "delicatamente", "velocemente", "facilmente"
        ("emente lmente rmente", "e le re"),
        ("i", "io"),  # "sanitari": "sanitario"
        (
            "o i a iamo amo ate ano avo avi ava avamo avate avano ai ò ammo aste arono erò "
            "erai erà eremo erete eranno erei erebbe eremmo erebbero ando ato ata ati ate "
            "ino ini",
            "are",
        ),
        (
            "o i e iamo ete ono evo evi eva evamo evano erò erai erà eremo erete eranno "
            "erei erebbe endo uto uta uti ute a ano",
            "ere",
        ),
        (
            "o i e iamo ite ono ivo ivi iva ivamo ivano irò irai irà iremo irete iranno "
            "irei irebbe endo ito ita iti ite isco isci isce iscono a ano isca iscano",
            "ire",
        ),
    ),
}
# Pronouns written onto a verb: "llámenos", "explicarle", "ritirarlo", "chiamandola".
_ENCLITICS = {
    "es": "selo sela selos selas melo mela nos los las les lo la le me te se",
    "it": "glielo gliela glieli gliele gliene melo mela telo cela ce ne gli lo la li le "
    "ne ci vi mi ti si",
}
IRREGULAR_FORMS = {
    "es": (
        "está están estás estoy esté estén puede pueden puedo pueda puedan tiene tienen "
        "tengo tenga tengan viene vienen vengo venga vengan tuvo tuve hemos he has ha "
        "han hay haya hayan va van voy vaya vayan hace hacen hago haga hagan hizo dice "
        "dicen digo diga digan dijo quiere quieren quiero sabe saben sé sepa duele "
        "duelen duela prefiere prefieren siente sienta sigue siga pide pida vuelve "
        "vuelva cuesta cuestan encuentra recuerda recuerde fue fueron sea sean dé den "
        "querría querrían vendría vendrían tendría tendrían podría podrían habría sabría "
        "diría haría pondría saldría prefiera prefieran quiera quieran pueda sienta "
        "iría irían tengamos quisiera quisiéramos quisieran hagamos vayamos podamos"
    ),
    "it": (
        "è ha ho hai hanno abbiamo avete sono siamo siete sei può possono posso possiamo "
        "potete possa deve devono dobbiamo devo debba vuole vogliono vuoi voglia fa fanno "
        "facciamo faccia va vanno vada andiamo viene vengono venga vengo dà dia diamo "
        "sta stanno stia sia siano esce escono esca"
    ),
    "en": "",
    "pt": "",
}
_ACCENTED = {"a": "àáâã", "e": "èéê", "i": "ìíî", "o": "òóôõ", "u": "ùúü", "c": "ç", "n": "ñ"}
_MAX_ACCENT_VARIANTS = 4096
_MAX_SUGGESTIONS = 3

_LETTER = r"[\p{L}\p{M}\p{N}_]"
_TOKEN = regex.compile(rf"{_LETTER}+(?:['\u2019\-]{_LETTER}+)*['\u2019]?")
_SKIPPED = regex.compile(
    r"(?:https?://|www\.)\S+"  # URLs
    r"|[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"  # e-mail addresses
    r"|\b[\w\-]+(?:\.[\w\-]+)*\.(?:it|es|pt|br|com|org|net|eu|info|uk|ch)\b"  # domains
    r"|(?<!\w)(?i:sig\.r[ae]|sig\.n[ae]|dott\.ssa|sigg\.|egr\.|gent\.m[oa])(?!\w)"  # titles
)
_SENTENCE_END = ".!?\u2026\n"
_ABBREVIATION = regex.compile(
    rf"(?<![\w.])(?:{'|'.join(regex.escape(h) for h in HONORIFICS)})\.\s*$", regex.I
)

_ABBREVIATIONS = frozenset(
    [*HONORIFICS, "ecc", "etc", "tel", "cell", "pag", "prof", "avv", "ing", "dra", "dres",
     "sres", "sras", "ud", "uds", "vd", "vds", "av", "pza", "c", "n", "no", "nº", "ref"]
)  # fmt: skip
_CHECKERS: dict = {}
_LOCK = threading.Lock()


def _code(lang: str | None) -> str:
    return (lang or "").split("_")[0].split("-")[0].lower()


def _checker(code: str):
    """pyspellchecker's dictionary of ``code`` with :data:`DENTAL_WORDS`, loaded once per
    process (an Odoo worker serves many requests, and threads share it)."""
    checker = _CHECKERS.get(code)
    if checker is None:
        with _LOCK:
            checker = _CHECKERS.get(code)
            if checker is None:
                checker = SpellChecker(language=code, distance=1)
                checker.word_frequency.load_words(DENTAL_WORDS[code].split())
                _CHECKERS[code] = checker
    return checker


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _accent_variants(word: str, letters) -> list[str]:
    """``word`` with accents put back in every way the language's letters allow."""
    options = [[c, *(a for a in _ACCENTED.get(c, "") if a in letters)] for c in _fold(word)]
    count = 1
    for option in options:
        count *= len(option)
    if count > _MAX_ACCENT_VARIANTS:
        return []
    return ["".join(p) for p in itertools.product(*options)]


def _suggestions(checker, code: str, word: str) -> tuple[str, ...]:
    if word in LIKELY_TYPOS[code]:
        return (LIKELY_TYPOS[code][word],)
    stem = word.rstrip("'")
    if stem != word and stem in checker:  # "e'", "pero'": the accent typed as "'"
        last = [stem[:-1] + a for a in _ACCENTED.get(stem[-1], "")]
        return tuple(sorted(checker.known(last), key=checker.word_usage_frequency, reverse=True))
    if stem != word:  # "perche'"
        return _suggestions(checker, code, stem)
    frequency = checker.word_usage_frequency
    accented = list(checker.known(_accent_variants(word, checker.word_frequency.letters)))
    edited = checker.candidates(word) or set()
    found = sorted(accented, key=frequency, reverse=True)
    found += sorted(set(edited) - set(accented) - {word}, key=frequency, reverse=True)
    return tuple(found[:_MAX_SUGGESTIONS])


def _is_sentence_start(text: str, start: int) -> bool:
    index = start
    while index > 0 and not (text[index - 1].isalnum() or text[index - 1] in _SENTENCE_END):
        index -= 1
    if index == 0:
        return True
    if text[index - 1] not in _SENTENCE_END:
        return False
    return not _ABBREVIATION.search(text[max(0, index - 12) : index])  # "Dott. Rossi"


def _word_known(checker, code: str, word: str, known: frozenset) -> bool:
    if word in known:
        return True
    if word in LIKELY_TYPOS[code]:
        return False
    if word in checker or word in APOSTROPHE_WORDS[code]:
        return True
    if word.endswith("'"):
        # "po'" is listed; "perche'" is a typo; "'hello'" in quotes is "hello"
        stem = word[:-1]
        return code != "it" and _word_known(checker, code, stem, known)
    parts = regex.split(r"(?<=')|-", word)  # "dell'" + "appuntamento", "x" + "ray"
    if len(parts) > 1:
        return all(_word_known(checker, code, p, known) for p in parts if p)
    return _inflected(checker, code, word)


def _inflected(checker, code: str, word: str, enclitic: bool = True) -> bool:
    """Whether ``word`` is an inflection of a listed word (see :data:`_INFLECTIONS`),
    unless its accents are what is wrong ("tambien": "también" is listed)."""
    if word in _irregular(code):
        return True
    if code not in _INFLECTIONS or _accent_variants_known(checker, word, more=True):
        return False
    for suffixes, replacements in _INFLECTIONS[code]:
        for suffix in suffixes.split():
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and len(stem) > 1:
                for replacement in replacements.split() or [""]:
                    if _listed(checker, stem + replacement):
                        return True
    if enclitic:
        for pronoun in _ENCLITICS[code].split():
            stem = _fold(word[: -len(pronoun)])  # "llámenos": the accent is the pronoun's
            if word.endswith(pronoun) and len(stem) > 2:
                for verb in (stem, stem + "e"):  # "ritirar" + "lo": "ritirare"
                    if _listed(checker, verb) or _inflected(checker, code, verb, False):
                        return True
    return False


def _listed(checker, word: str) -> bool:
    return word in checker or bool(_accent_variants_known(checker, word))


def _accent_variants_known(checker, word: str, more: bool = False) -> set:
    """Listed spellings of ``word`` with other accents (only with more, if ``more``)."""
    variants = set(_accent_variants(word, checker.word_frequency.letters)) - {word}
    if more:
        accents = sum(not c.isascii() for c in word)
        variants = {v for v in variants if sum(not c.isascii() for c in v) > accents}
    return checker.known(variants)


@functools.cache
def _irregular(code: str) -> frozenset:
    return frozenset(IRREGULAR_FORMS[code].split())


def _known_words(known_words) -> frozenset:
    words = set()
    for entry in known_words or ():
        for token in _TOKEN.finditer(unicodedata.normalize("NFC", entry)):
            words.add(token.group().casefold().replace("\u2019", "'"))
    return frozenset(words)


def check_spelling(text: str | None, lang: str | None, known_words=()) -> list[Finding]:
    """Words of ``text`` unknown in ``lang`` (``"it"``, ``"pt_BR"``...), with up to three
    suggestions each, most likely first.

    ``known_words`` are names (practice, staff, patients, medicines: entries may have
    several words) that are never reported. A language other than ``it``, ``es``,
    ``en`` and ``pt``, or none, gives no findings: there is no dictionary to check with.
    """
    code = _code(lang)
    if not text or code not in DENTAL_WORDS:
        return []
    checker = _checker(code)
    known = _known_words(known_words)
    masked = _SKIPPED.sub(lambda m: " " * len(m.group()), text)
    findings = []
    for typed, start in _pieces(masked, code):
        end = start + len(typed)
        if any(c.isdigit() or c == "_" for c in typed):
            continue  # numbers, times, dates, codes
        letters = [c for c in typed if c.isalpha()]
        if len(letters) > 1 and all(c.isupper() for c in letters):
            continue  # acronyms: IBAN, SMS, RX
        if any(c.isupper() for c in typed[1:]) or (
            typed[0].isupper() and not _is_sentence_start(masked, start)
        ):
            continue  # names and brands
        word = _normal(typed)
        if masked[end : end + 1] == "." and word in _ABBREVIATIONS:
            continue  # "dott.", "tel.", "ecc."
        if _word_known(checker, code, word, known):
            continue
        suggestions = _suggestions(checker, code, word)
        if typed[0].isupper():
            suggestions = tuple(s[:1].upper() + s[1:] for s in suggestions)
        findings.append(Finding(SPELLING, typed, start, end, UNKNOWN, suggestions))
    return findings


def _normal(typed: str) -> str:
    return unicodedata.normalize("NFC", typed).casefold().replace("\u2019", "'")


def _pieces(text: str, code: str):
    """``(word, start)`` of ``text``, an elision split from its word ("l'" and
    "appuntamento"), so that a typo is reported on the word it is in."""
    for token in _TOKEN.finditer(text):
        typed, start = token.group(), token.start()
        for match in regex.finditer(r"[^'\u2019]+['\u2019]", typed):
            if match.end() == len(typed) or _normal(match.group()) not in APOSTROPHE_WORDS[code]:
                break
            yield match.group(), start + match.start()
            typed, start = typed[match.end() :], start + match.end()
        yield typed, start
