"""The Whoosh index layout: the BCS tokenizer, the schema, ranking and a post's fields."""

from __future__ import annotations

from array import array
from datetime import UTC, datetime

from board.search import analysis, plan
from board.search.backend import SearchDoc
from board.search.highlight import stored_text
from whoosh import columns, fields, scoring
from whoosh.analysis import Token, Tokenizer

EXCERPT_CHARS = 20_000  # stored for snippets; the highlighter never reads further


class BcsTokenizer(Tokenizer):
    """Whoosh tokenizer emitting ``analysis.index_tokens``: every form at one position."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for item in analysis.index_tokens(value):
            for form in item.forms:
                token.text = form
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = value[item.start : item.end]
                if positions:
                    token.pos = start_pos + item.pos
                if chars:
                    token.startchar = start_char + item.start
                    token.endchar = start_char + item.end
                yield token


def schema() -> fields.Schema:
    """Stored ids, filter fields, and the analysed text fields."""
    analyzer = BcsTokenizer()
    return fields.Schema(
        # id and version are also columns, so ``versions()`` never unpickles stored text
        id=fields.ID(stored=True, unique=True, sortable=True),
        version=fields.COLUMN(columns.VarBytesColumn()),
        type=fields.ID(stored=True),
        thread_id=fields.ID(stored=True),
        post_id=fields.ID(stored=True),
        document_id=fields.ID(stored=True),
        page=fields.STORED(),
        doc_type=fields.ID(stored=True),
        category_id=fields.ID(stored=True),
        author_id=fields.ID(stored=True),
        created_at=fields.DATETIME(stored=True, sortable=True),
        solved=fields.BOOLEAN(stored=True),
        accepted=fields.BOOLEAN(stored=True),
        rank=fields.COLUMN(columns.NumericColumn("f", default=1.0)),
        content=fields.TEXT(analyzer=analyzer, phrase=True),
        title=fields.TEXT(analyzer=analyzer, phrase=False),
        quoted=quoted_field(),
        excerpt=fields.STORED(),
    )


def quoted_field() -> fields.TEXT:
    """What a post quotes (``>`` blockquotes): searched beside ``content`` at
    ``plan.WEIGHT_QUOTED`` (see ``query.QueryBuilder``), so quoting a word is not saying it."""
    return fields.TEXT(analyzer=BcsTokenizer(), phrase=True)


class Ranking(scoring.BM25F):
    """BM25F, then multiplied by each document's stored rank (first post, accepted answer).

    One instance per searcher: the rank column is read into memory once (4 bytes per
    document, as the column stores it) instead of from the column file for every
    scored document.
    """

    use_final = True

    def __init__(self) -> None:
        super().__init__()
        self._ranks: array | None = None

    def final(self, searcher, docnum: int, score: float) -> float:
        if self._ranks is None:
            self._ranks = array("f", searcher.reader().column_reader("rank"))
        return score * self._ranks[docnum]


def _naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def doc_fields(doc: SearchDoc) -> dict:
    rank = plan.entry_rank(doc.type, doc.is_first, doc.accepted)
    values = {
        "id": doc.id,
        "version": doc.version.encode(),
        "type": doc.type,
        "thread_id": str(doc.thread_id),
        "post_id": str(doc.post_id),
        "page": doc.page,
        "doc_type": doc.doc_type or "",
        "category_id": str(doc.category_id),
        "author_id": str(doc.author_id),
        "created_at": _naive_utc(doc.created_at),
        "solved": bool(doc.solved),
        "accepted": bool(doc.accepted),
        "rank": rank,
        "content": analysis.PART_SEPARATOR.join((doc.title, doc.body, doc.extra)),
        "excerpt": stored_text(doc.body, doc.quoted)[:EXCERPT_CHARS],
    }
    if doc.quoted:
        values["quoted"] = doc.quoted
    if doc.document_id is not None:
        values["document_id"] = str(doc.document_id)
    if doc.is_first or doc.accepted or doc.type != "post":
        values["title"] = doc.title
    return values
