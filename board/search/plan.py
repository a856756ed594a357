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

from dataclasses import dataclass

from board.search import analysis, syntax

FILL_BELOW = 10  # fewer entries with every group: entries with most groups follow them
MAX_FILL_GROUPS = 8  # longer queries get no "all groups but one" fill
MIN_TYPO_STEM = 4  # shorter stems are too ambiguous to correct
MAX_TYPO_WORDS = 4  # words per query that get typo corrections
MAX_CORRECTIONS = 20  # indexed one-edit neighbours tried for an unknown word

# The thread starter (and a document page) over a reply: it states the question in the
# thread's own words, and results are read per thread. 1.3 is what the Whoosh index has
# always stored (changing it means a reindex) and what the dev sets were tuned with; the
# PostgreSQL backend's 1.1 had drifted from it.
BOOST_FIRST = 1.3
BOOST_ACCEPTED = 1.5  # an accepted answer over everything else


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
    """One alternative of a group: every piece must match (``e-mail`` is two words)."""

    pieces: tuple[Piece, ...]

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

    @property
    def empty(self) -> bool:
        """Nothing positive to look for: the search returns nothing."""
        return not self.groups

    def fill_minmatch(self, strict_total: int) -> int | None:
        """Fewest groups a partial match needs, or None for no filling.

        Any group when nothing had every group (2+ groups: the page says it relaxed);
        all but one when a few had all in a query of 3 to ``MAX_FILL_GROUPS`` groups (a
        longer query often has one word the post says differently); else none, so a
        precise query is never diluted and two-word queries stay strict.
        """
        n = len(self.groups)
        if strict_total >= FILL_BELOW:
            return None
        if strict_total == 0:
            return 1 if n >= 2 else None
        return n - 1 if 3 <= n <= MAX_FILL_GROUPS else None

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


def build(text: str) -> Plan:
    """Read a search box string once: syntax, then the analysis of every word."""
    parsed = syntax.parse(text)
    groups: list[Group] = []
    for items in parsed.groups:
        options = tuple(o for item in items if (o := _option(item)) is not None)
        group = Group(options) if options else None
        if group is not None and group not in groups:  # "x x" is one condition
            groups.append(group)
    excluded = tuple(o for item in parsed.excluded if (o := _option(item)) is not None)
    return Plan(text, tuple(groups), excluded if groups else ())
