"""One backend-neutral reading of a search box string, built once, rendered by each backend.

``build(text)`` parses the query language (``syntax``) and analyses every word
(``analysis``) into a ``Plan``: groups that must all match, each an OR of options, each
option an AND of pieces (a word with its weighted alternatives, a phrase, a prefix).
The policies both backends must share live here as well, so they cannot drift again:

- **fill**: ``fill_minmatch`` says how many groups a partial match needs when fewer than
  ``FILL_BELOW`` entries have every group;
- **typos**: ``typo_words`` are the words that may get a one-edit correction, with
  ``MIN_TYPO_STEM``, ``MAX_TYPO_WORDS``, ``MAX_CORRECTIONS`` and ``analysis.WEIGHT_FUZZY``;
- **expansions**: every ``Word`` carries its alternatives with weights (the typed word
  1.0; folds, stem prefix, variants, abbreviations and synonyms less);
- **entry rank**: ``entry_rank`` multiplies an entry's score by what it is (the thread's
  first post or a document page, an accepted answer).

A backend turns a plan into its own query objects (Whoosh queries, ``tsquery`` text) and
decides only what its engine needs (index lookups, SQL).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from board.search import analysis, syntax

FILL_BELOW = 10  # fewer entries with every group: entries with most groups follow them
MAX_FILL_GROUPS = 8  # longer queries get no partial fill once something has every group
MIN_TYPO_STEM = 4  # shorter stems are too ambiguous to correct
MAX_TYPO_WORDS = 4  # words per query that get typo corrections
MAX_CORRECTIONS = 20  # indexed one-edit neighbours tried for an unknown word

# The thread starter (and a document page) over a reply: it states the question in the
# thread's own words, and results are read per thread. 1.3 is what the Whoosh index has
# always stored (changing it means a reindex) and what the dev sets were tuned with; the
# PostgreSQL backend's 1.1 had drifted from it.
BOOST_FIRST = 1.3
BOOST_ACCEPTED = 1.5  # an accepted answer over everything else
WEIGHT_EXPANSION = 0.6  # an abbreviation's long form (or the reverse), a phrase synonym
WEIGHT_QUOTED = 0.25  # words a post quotes, against its own (PostgreSQL: weight D over B)
WEIGHT_OPTIONAL = 0.5  # a question word the entry also has (Whoosh: added BM25F, scaled)
BOOST_OPTIONAL = 1.2  # the same for PostgreSQL, as a multiplier of ts_rank_cd


@dataclass(frozen=True)
class Word:
    """One analysed word: every term it may match, with weights (``analysis.WordQuery``)."""

    query: analysis.WordQuery


@dataclass(frozen=True)
class Phrase:
    """Terms in this order; ``None`` is a stop word's gap (any one word in the entry)."""

    terms: tuple[str | None, ...]


@dataclass(frozen=True)
class Prefix:
    """Any term starting with one of these folded forms."""

    forms: tuple[str, ...]


Piece = Word | Phrase | Prefix


@dataclass(frozen=True)
class Option:
    """One alternative of a group: every piece must match (``e-mail`` is two words).

    ``weight`` scales what its terms score: below 1 for an expansion the user did not
    type (``mjesna zajednica`` for ``MZ``), so the typed words rank first.
    """

    pieces: tuple[Piece, ...]
    weight: float = 1.0

    @property
    def word(self) -> analysis.WordQuery | None:
        """The word when the option is exactly one plain word (typo candidates)."""
        if len(self.pieces) == 1 and isinstance(self.pieces[0], Word):
            return self.pieces[0].query
        return None


@dataclass(frozen=True)
class Group:
    """Options of which any may match (``a OR b``); usually one."""

    options: tuple[Option, ...]


@dataclass(frozen=True)
class Plan:
    """Groups that must all match, and options no result may match."""

    text: str
    groups: tuple[Group, ...]
    excluded: tuple[Option, ...] = ()
    optional: tuple[analysis.WordQuery, ...] = ()  # question words: a bonus, never required

    @property
    def empty(self) -> bool:
        """Nothing positive to look for: the search returns nothing."""
        return not self.groups

    def fill_minmatch(self, strict_total: int) -> int | None:
        """Fewest groups a partial match needs, or None for no filling.

        Any group when nothing had every group (2+ groups: the page says it relaxed).
        When a few had all in a query of 3 to ``MAX_FILL_GROUPS`` groups: two of three,
        or half of four or more (a long query, a question above all, has words the post
        says differently or not at all). Partial matches always rank below the entries
        with more groups, so a precise query is never diluted; two-word queries and
        queries with enough full matches get no fill.
        """
        n = len(self.groups)
        if strict_total >= FILL_BELOW:
            return None
        if strict_total == 0:
            return 1 if n >= 2 else None
        if not 3 <= n <= MAX_FILL_GROUPS:
            return None
        return min(n - 1, (n + 1) // 2) if n > 3 else n - 1

    def typo_words(self) -> list[analysis.WordQuery]:
        """Positive one-word options long enough to correct, at most ``MAX_TYPO_WORDS``."""
        found = [
            word
            for group in self.groups
            for option in group.options
            if (word := option.word) is not None and len(word.fuzzy) >= MIN_TYPO_STEM
        ]
        return found[:MAX_TYPO_WORDS]

    def highlight(self) -> tuple[set[str], set[str]]:
        """Terms and prefixes to mark in snippets (positive pieces only)."""
        terms: set[str] = set()
        prefixes: set[str] = set()
        for group in self.groups:
            for option in group.options:
                for piece in option.pieces:
                    if isinstance(piece, Word):
                        for alt in piece.query.alternatives:
                            (prefixes if alt.prefix else terms).add(alt.term)
                    elif isinstance(piece, Phrase):
                        terms.update(t for t in piece.terms if t)
                    else:
                        prefixes.update(piece.forms)
        return terms, prefixes


def entry_rank(type_: str, is_first: bool, accepted: bool) -> float:
    """How much an entry's text score is multiplied by for what the entry is."""
    if accepted:
        return BOOST_ACCEPTED
    if is_first or type_ != "post":
        return BOOST_FIRST
    return 1.0


def _option(item: syntax.Item) -> Option | None:
    """One query item as the pieces that must all match; None when nothing can match."""
    if item.kind == "phrase":
        terms = tuple(analysis.phrase_terms(item.text))
        if sum(t is not None for t in terms) >= 2:
            return Option((Phrase(terms),))
    parts = [m.group(0) for m in analysis.words(item.text)]
    if item.kind == "prefix" and len(parts) == 1:
        forms = analysis.prefix_forms(parts[0])
        return Option((Prefix(forms),)) if forms else None
    pieces = tuple(Word(q) for part in parts if (q := analysis.word_query(part)) is not None)
    return Option(pieces) if pieces else None


Key = tuple[str, ...]


def _narrow(option: Option) -> Option:
    """An excluded option without derivational roots: ``-zapisničar`` must not drop
    every ``zapisnik``; what a user excludes is the word, not its relatives."""
    pieces = tuple(
        Word(replace(p.query, alternatives=tuple(a for a in p.query.alternatives if not a.root)))
        if isinstance(p, Word)
        else p
        for p in option.pieces
    )
    return Option(pieces, option.weight)


def _key(text: str) -> Key:
    """The folded stems of a term's content words: how a query spells it, inflection aside."""
    return tuple(t for t in analysis.phrase_terms(text) if t)


def _pieces(text: str) -> tuple[Piece, ...]:
    """An expansion as pieces: one word with its alternatives, or a phrase."""
    terms = tuple(analysis.phrase_terms(text))
    if sum(t is not None for t in terms) >= 2:
        return (Phrase(terms),)
    return tuple(Word(q) for q in analysis.query_words(text))


@lru_cache(maxsize=1)
def equivalents() -> tuple[tuple[tuple[Key, tuple[Piece, ...]], ...], ...]:
    """Groups of interchangeable terms, each term as (key, pieces), from the data tables.

    ``abbreviations.tsv`` rows of kind ``abbreviation`` (``MZ`` / ``mjesna zajednica``)
    and the ``synonyms.tsv`` groups with a phrase in them (one-word groups are word
    variants, handled by ``analysis``).
    """
    groups = [
        [row[0], row[1]]
        for row in analysis.read_table(analysis.ABBREVIATIONS_PATH)
        if row[2] == "abbreviation"
    ]
    groups += [terms for _kind, terms in analysis.phrase_groups(analysis.SYNONYMS_PATH)]
    return tuple(
        tuple((_key(term), _pieces(term)) for term in terms if _key(term))
        for terms in groups
        if any(len(_key(term)) > 1 for term in terms)
    )


def _plain_stem(group: Group) -> str | None:
    """The folded stem of a group that is one plain word, else None."""
    word = group.options[0].word if len(group.options) == 1 else None
    return word.alternatives[0].term if word is not None else None


def _expand(groups: list[Group]) -> list[Group]:
    """Consecutive plain words that spell a term of an equivalence group become one
    group: the words as typed, or any other term of the group at ``WEIGHT_EXPANSION``."""
    stems = [_plain_stem(g) for g in groups]
    out: list[Group] = []
    i = 0
    while i < len(groups):
        best: tuple[int, list[Option]] | None = None
        for group in equivalents():
            for n, (key, _) in enumerate(group):
                if tuple(stems[i : i + len(key)]) == key and (best is None or len(key) > best[0]):
                    others = [
                        Option(p, WEIGHT_EXPANSION) for m, (_k, p) in enumerate(group) if m != n
                    ]
                    best = (len(key), others)
        if best is None:
            out.append(groups[i])
            i += 1
            continue
        size, others = best
        typed = tuple(p for g in groups[i : i + size] for p in g.options[0].pieces)
        out.append(Group((Option(typed), *others)))
        i += size
    return out


@lru_cache(maxsize=1)
def weak_stems() -> frozenset[str]:
    """Folded stems of ``data/question_words.tsv``: words a question wraps around its
    subject (``kako``, ``treba``, ``može``, ``uvijek``) that must not decide a ranking."""
    return frozenset(
        forms[0]
        for row in analysis.read_table(analysis.QUESTION_WORDS_PATH)
        for word in row[0].split()
        if (forms := analysis.word_forms(word))
    )


def _without_weak(groups: list[Group]) -> tuple[list[Group], list[analysis.WordQuery]]:
    """The groups minus question and modal words (unless nothing else is left), and those
    words, which then only add to the score of an entry that has them."""
    strong = [g for g in groups if _plain_stem(g) not in weak_stems()]
    if not strong:
        return groups, []
    weak = [g.options[0].word for g in groups if g not in strong]
    return strong, [w for w in weak if w is not None]


def build(text: str) -> Plan:
    """Read a search box string once: syntax, then the analysis of every word."""
    parsed = syntax.parse(text)
    groups: list[Group] = []
    for items in parsed.groups:
        options = tuple(o for item in items if (o := _option(item)) is not None)
        group = Group(options) if options else None
        if group is not None and group not in groups:  # "x x" is one condition
            groups.append(group)
    excluded = tuple(_narrow(o) for item in parsed.excluded if (o := _option(item)) is not None)
    strong, weak = _without_weak(groups)
    return Plan(text, tuple(_expand(strong)), excluded if groups else (), tuple(weak))
