"""BCS text analysis shared by every search backend, at index time and at query time.

Both backends must turn text into the same terms, or a post indexed by one would not be
found by the other. So every decision about *what a word is* lives here, as pure
functions; backends only decide how to store and combine terms.

Pipeline for one word (``word_forms``):

1. NFKC, Cyrillic -> Latin (``board.text.script``), lower case.
2. Stop words (``STOP_WORDS``, compared diacritic-folded) are dropped *before* stemming,
   so ``već`` (already) goes but ``vijeće`` (council), whose stem is also ``već``, stays.
3. Jat: Snowball ``serbian`` already maps ijekavian to ekavian inside words
   (``sjednica``/``sednica`` -> ``sednic``, ``primjedbe`` -> ``primedb``; the tests pin
   this). It reads ``dj`` as ``đ`` first, which turns the ijekavian ``dje`` (``gdje``,
   ``ovdje``, ``djeca``) into ``đe``; we rewrite ``dje`` -> ``de`` before stemming, on both
   sides, so ``negdje``/``negde`` and ``djeca``/``deca`` agree.
4. Snowball ``serbian`` stem (the ``exact`` form, diacritics kept).
5. Diacritic folding: č/ć -> c, š -> s, ž -> z, and đ -> both ``dj`` and ``d``, because
   people type ``gradjana`` and ``gradana`` for ``građana``.

Public functions (a backend needs nothing else):

- ``index_tokens(text)`` -> ``IndexToken(pos, start, end, forms)`` per word, original
  character offsets, every form of a word at the same position (stop words leave a gap).
  Join title, body and metadata with ``PART_SEPARATOR`` so phrases stay inside a part.
- ``word_query(word)`` -> ``WordQuery``: the weighted alternatives one query word may
  match: folded stem (``WEIGHT_FOLDED``), exact stem (``WEIGHT_EXACT``, added on top, so
  exact spelling ranks first), a stem prefix for Snowball's inconsistencies
  (``izvještaj`` -> ``izvešta`` but ``izvještaja`` -> ``izveštaj``; ``WEIGHT_PREFIX``; the
  Whoosh backend lets it match only terms at most two letters longer, so ``zapisnik``
  does not reach ``zapisničar``), and lexical variants from ``data/variants.tsv``
  (``WEIGHT_VARIANT``/``WEIGHT_AMBIGUOUS``). ``fuzzy`` is the folded stem to use for a
  one-edit typo fallback when none of the whole-term alternatives is in the index.
- ``query_words(text)`` -> ``WordQuery`` per content word of a plain-words string.
- ``prefix_forms(prefix)`` -> folded forms of a ``prefix*`` query.
- ``phrase_terms(text)`` -> one folded term per word, ``None`` for a stop-word gap.
- ``fold(text)`` -> diacritic-free text (``đ`` -> ``dj``); ``normalize(text)``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import snowballstemmer

from board.text.script import cyrillic_to_latin

WEIGHT_FOLDED = 1.0
WEIGHT_EXACT = 0.5
WEIGHT_D_FOLD = 0.6
WEIGHT_PREFIX = 0.35
WEIGHT_VARIANT = 0.7
WEIGHT_AMBIGUOUS = 0.4
WEIGHT_FUZZY = 0.5
WEIGHT_SYNONYM = 0.6  # a word of a synonyms.tsv group
WEIGHT_ROOT = 0.3  # another formation of the same root (budžetski ~ budžet)
ROOT_LEN = 6  # letters of a folded stem kept as its derivational root
ROOT_REACH = 9  # a root reaches terms up to this long, or as long as the word's own stem
PART_SEPARATOR = "\x1e"  # ASCII record separator: joins title, body and metadata
PART_GAP = 100
MIN_PREFIX = 4  # shortest stem prefix used for the stem-inconsistency fallback

DATA = Path(__file__).with_name("data")
VARIANTS_PATH = DATA / "variants.tsv"
SYNONYMS_PATH = DATA / "synonyms.tsv"
ABBREVIATIONS_PATH = DATA / "abbreviations.tsv"
QUESTION_WORDS_PATH = DATA / "question_words.tsv"

# Function words, diacritic-folded (so ``vec`` drops both ``već`` and ``vec``).
# Prepositions, conjunctions, particles, personal/demonstrative/relative pronouns and the
# forms of ``biti``/``htjeti`` used as auxiliaries, in both jat reflexes.
_STOP_WORDS_TEXT = """
    a ako al ali bas bez bi bih bijah bila bile bili bilo bio bismo biste bit biti bivsi
    bude budemo budete budu buduci bumo ce cemo ces cete cu da dakle do dok dosta gde gdje
    ga god i iako ih ili im ima imaju imam imamo imate imati iz izmedju izmedu ja je jedna
    jedno jer jesam jesi jesmo jest jeste jesu joj jos ju k kad kada kako kao ko koga koja
    koje koji kojih kojim kojima koju kod kojeg kojem kroz li me mene meni mi mnogo mu na
    nad nakon nam nama nas nasa nase nasi naseg nasem ne nego neka nekad neki neko nekog
    nekoliko nema nemaju nemam nesto netko ni nije niko nisam nisi nismo niste nisu nista
    nitko no o od odnosno oko on ona onda one oni ono ova ovaj ovdje ovde ove ovi ovo ovog
    ovoga ovom pa po pod posle poslije pre prema pri prije sa sam sama sami samo se sebe
    sebi si smo ste sta sto su sve svi svih svoj svoja svoje svoju s ta tada taj tako te
    tek ti tih tim tj tko to tog toga tom tu u uz vam vama vas vec vi vrlo za zar ze zbog itd
    npr
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

# A number with thousands dots (``5.000``, ``1.250.000``) is one word, then letters,
# digits and combining marks; ``%`` is a word of its own (read as ``posto``).
_WORD = re.compile(r"(?<!\d)(?<!\d\.)\d{1,3}(?:\.\d{3})+(?!\d|\.\d)|(?:[^\W_]|[\u0300-\u036f])+|%")
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
# Jotation in verb forms and verbal nouns: plaćaju ~ platiti, ovlašćuje ~ ovlaštenje,
# korišćenje ~ korištenje (the t/št of the root becomes ć/šć before these endings).
_JOTATED = re.compile(r"(.{2,}?)(šć|ć)(aj|uj|en|enj|iv|ivaj)$")
_FOLD = str.maketrans({"č": "c", "ć": "c", "š": "s", "ž": "z"})
_STEMMER = snowballstemmer.stemmer("serbian")


@dataclass(frozen=True)
class IndexToken:
    """One word of indexed text: its position, where it is, and every form to index."""

    pos: int
    start: int
    end: int
    forms: tuple[str, ...]


@dataclass(frozen=True)
class Alternative:
    """A term a query word may match, with its weight; ``prefix`` matches terms starting so.

    ``root`` marks a derivational root (``budzet`` for ``budžetski``): a prefix any
    longer term may complete, where a stem prefix only bridges Snowball's one or two
    letter inconsistencies.
    """

    term: str
    weight: float
    prefix: bool = False
    root: bool = False


@dataclass(frozen=True)
class WordQuery:
    """Everything one query word may match, strongest first."""

    word: str
    alternatives: tuple[Alternative, ...]
    fuzzy: str  # folded stem for the one-edit typo fallback

    @property
    def terms(self) -> frozenset[str]:
        """Exact terms (not prefixes) this word matches."""
        return frozenset(a.term for a in self.alternatives if not a.prefix)


def normalize(text: str) -> str:
    """NFKC, Cyrillic -> Latin, lower case: the common ground of every form of a text."""
    return cyrillic_to_latin(unicodedata.normalize("NFKC", text)).lower()


def _strip_marks(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def fold(text: str) -> str:
    """Diacritic-free lower-case form (``đ`` -> ``dj``), as people type without them."""
    return _strip_marks(text.translate(_FOLD).replace("đ", "dj"))


def _folds(stem: str) -> tuple[str, ...]:
    base = stem.translate(_FOLD)
    if "đ" not in base:
        return (_strip_marks(base),)
    return (_strip_marks(base.replace("đ", "dj")), _strip_marks(base.replace("đ", "d")))


def stem(word: str) -> str:
    """Normalised, jat-unified Snowball stem of one word (diacritics kept)."""
    return _STEMMER.stemWord(normalize(word).replace("dje", "de"))


@lru_cache(maxsize=200_000)
def word_forms(word: str) -> tuple[str, ...]:
    """Index forms of one word: folded stem(s), then the exact stem if it differs.

    Empty for stop words and single letters. Cached: a corpus has far fewer distinct
    words than tokens, and Snowball is pure Python.
    """
    norm = normalize(word)
    if _THOUSANDS.fullmatch(norm):  # 5.000 KM = 5000 KM
        return (norm.replace(".", ""),)
    folded_word = fold(norm)
    alias = _aliases().get(folded_word)
    if alias is not None:  # čl. = član, % = posto: the written-out word's forms
        return word_forms(alias)
    if folded_word in STOP_WORDS or (len(norm) < 2 and not norm.isdigit()):
        return ()
    exact = stem(norm) or norm
    forms = _folds(exact)
    return forms if exact in forms else (*forms, exact)


def words(text: str) -> Iterator[re.Match[str]]:
    """Word matches in the original text (letters, digits and combining marks)."""
    return _WORD.finditer(text)


def read_as(text: str, match: re.Match[str]) -> str:
    """The word to analyse for ``match``: a two-digit year after a slash is the full year.

    Gazette numbers are written ``49/06`` and ``49/2006`` alike; 00-40 read as 20xx,
    the rest as 19xx.
    """
    word = match.group(0)
    start = match.start()
    if len(word) == 2 and word.isdigit() and start > 0 and text[start - 1] == "/":
        return ("20" if int(word) <= 40 else "19") + word
    return word


def word_texts(text: str) -> list[str]:
    """The words of ``text`` as analysis reads them (``read_as``), in order."""
    return [read_as(text, match) for match in words(text)]


def index_tokens(text: str) -> Iterator[IndexToken]:
    """Tokens to index, with original offsets; stop words leave a position gap.

    ``PART_SEPARATOR`` joins independent parts (title, body, metadata): each part starts
    ``PART_GAP`` positions after the previous one, so a phrase never spans two parts.
    """
    pos, offset = 0, 0
    for part in text.split(PART_SEPARATOR):
        last = pos - 1
        for n, match in enumerate(words(part)):
            last = pos + n
            forms = word_forms(read_as(part, match))
            if forms:
                yield IndexToken(last, offset + match.start(), offset + match.end(), forms)
        pos = last + 1 + PART_GAP
        offset += len(part) + len(PART_SEPARATOR)


def load_variants(path: Path) -> dict[str, tuple[tuple[str, float], ...]]:
    """Read the variant table: folded stem -> the folded stems of its group's other words.

    Format (see ``data/README.md``): tab-separated ``words``, ``kind``, ``source``,
    ``note``; ``words`` space-separated; ``#`` starts a comment line. A word in several
    groups gets the union; an ``ambiguous`` group's expansions weigh less.
    """
    table: dict[str, dict[str, float]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        weight = WEIGHT_AMBIGUOUS if cols[1].strip() == "ambiguous" else WEIGHT_VARIANT
        groups = [set(_folds(stem(w))) for w in cols[0].split() if word_forms(w)]
        for i, own in enumerate(groups):
            for form in own:
                row = table.setdefault(form, {})
                for j, others in enumerate(groups):
                    for other in others - own if i != j else ():
                        row[other] = max(row.get(other, 0.0), weight)
    return {k: tuple(sorted(v.items())) for k, v in table.items() if v}


def read_table(path: Path) -> list[list[str]]:
    """The rows of one of the ``data/*.tsv`` tables: tab-separated, ``#`` comments."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([col.strip() for col in line.split("\t")])
    return rows


def phrase_groups(path: Path) -> list[tuple[str, list[str]]]:
    """``(kind, terms)`` per row of a table whose first column lists ``|``-separated terms."""
    return [
        (row[1], [t.strip() for t in row[0].split("|") if t.strip()]) for row in read_table(path)
    ]


@lru_cache(maxsize=1)
def _variants() -> dict[str, tuple[tuple[str, float], ...]]:
    """The variant table, plus the one-word groups of the synonym table (weighed less)."""
    table = {k: dict(v) for k, v in load_variants(VARIANTS_PATH).items()}
    for _kind, terms in phrase_groups(SYNONYMS_PATH):
        singles = [set(_folds(stem(t))) for t in terms if " " not in t and word_forms(t)]
        for i, own in enumerate(singles):
            for form in own:
                row = table.setdefault(form, {})
                for j, others in enumerate(singles):
                    for other in others - own if i != j else ():
                        row[other] = max(row.get(other, 0.0), WEIGHT_SYNONYM)
    return {k: tuple(sorted(v.items())) for k, v in table.items() if v}


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    """Folded one-word citation abbreviations -> the word they stand for (``cl`` -> član).

    Applied to every word at index and query time, so ``čl. 12`` and ``članom 12`` are
    the same terms; rows of kind ``citation`` in ``abbreviations.tsv``.
    """
    return {
        fold(normalize(row[0])).rstrip("."): row[1]
        for row in read_table(ABBREVIATIONS_PATH)
        if row[2] == "citation"
    }


def variants_of(form: str) -> tuple[tuple[str, float], ...]:
    """Folded stems of the lexical variants of a folded stem, with their weights."""
    return _variants().get(form, ())


@lru_cache(maxsize=50_000)
def word_query(word: str) -> WordQuery | None:
    """The weighted alternatives of one query word, or None for a stop word."""
    forms = word_forms(word)
    if not forms:
        return None
    exact = stem(word) or normalize(word)
    folds = _folds(exact)
    alts: dict[tuple[str, bool], float] = {(folds[0], False): WEIGHT_FOLDED}
    for extra in folds[1:]:
        alts[(extra, False)] = WEIGHT_D_FOLD
    if exact not in folds:
        alts[(exact, False)] = WEIGHT_EXACT
    base = folds[0]
    if len(base) >= MIN_PREFIX:
        cut = base if len(base) <= MIN_PREFIX + 1 else base[:-1]
        alts.setdefault((cut, True), WEIGHT_PREFIX)
    roots: set[str] = set()
    if len(base) >= ROOT_LEN and not base.isdigit():
        roots.add(base[:ROOT_LEN])
    jotated = _JOTATED.match(exact)
    if jotated:
        head, soft, _ending = jotated.groups()
        roots.add(fold(head + ("št" if soft == "šć" else "t")))
    for root in roots:
        alts.setdefault((root, True), WEIGHT_ROOT)
    for form in folds:
        for other, weight in variants_of(form):
            if alts.get((other, False), 0.0) < weight:
                alts[(other, False)] = weight
    ordered = sorted(alts.items(), key=lambda item: -item[1])
    return WordQuery(
        word=word,
        alternatives=tuple(Alternative(t, w, p, root=p and t in roots) for (t, p), w in ordered),
        fuzzy=base,
    )


def query_words(text: str) -> list[WordQuery]:
    """One ``WordQuery`` per content word of ``text`` (stop words dropped)."""
    return [q for w in word_texts(text) if (q := word_query(w)) is not None]


def phrase_terms(text: str) -> list[str | None]:
    """Folded stem per word of a phrase, ``None`` where a stop word leaves a gap."""
    out: list[str | None] = []
    for word in word_texts(text):
        forms = word_forms(word)
        out.append(forms[0] if forms else None)
    while out and out[-1] is None:
        out.pop()
    while out and out[0] is None:
        out.pop(0)
    return out


def prefix_forms(prefix: str) -> tuple[str, ...]:
    """Folded forms a ``prefix*`` may start: the jat-unified stem and the plain word."""
    norm = normalize(prefix).replace("dje", "de")
    candidates = {fold(norm), *_folds(_STEMMER.stemWord(norm) or norm)}
    return tuple(sorted(c for c in candidates if len(c) >= 2))
