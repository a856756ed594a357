"""The deterministic reference corpus for ``bench/search.py``, and loading it into a board.

Sentences come from the BCS text in ``../shared/corpus/bcs/`` (the UD SETimes treebank
and the lingua sentence lists). Every run with the same seed and sizes builds the same
threads and posts, so figures from different machines and commits compare. About 10% of
posts are in Cyrillic and 10% typed without diacritics, like real BCS boards.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

from sqlalchemy import insert, select, text

from board.extensions import db
from board.models import Category, Post, Thread, User
from board.search.backend import SearchDoc
from board.text.script import cyrillic_to_latin, latin_to_cyrillic

BCS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "bcs"
START = datetime(2023, 1, 1, tzinfo=UTC)
FOLD = str.maketrans({"č": "c", "ć": "c", "š": "s", "ž": "z", "Č": "C", "Ć": "C", "Š": "S"})
FOLD.update(str.maketrans({"Ž": "Z"}))


@dataclass(frozen=True)
class BenchPost:
    """One generated post; ids are assigned in generation order from 1."""

    id: int
    thread_id: int
    author_id: int
    category_slug: str
    title: str
    body: str
    created_at: datetime
    is_first: bool
    accepted: bool


def sentences() -> list[str]:
    """Every Latin-script sentence of the BCS corpus (Cyrillic ones transliterated)."""
    found: list[str] = []
    for name in ("hr_set-ud-dev.conllu", "sr_set-ud-dev.conllu"):
        for line in (BCS / "ud" / name).read_text(encoding="utf-8").splitlines():
            if line.startswith("# text = "):
                found.append(line[len("# text = ") :].strip())
    for lang in ("bs", "hr", "sr"):
        path = BCS / "lingua" / f"{lang}-sentences.txt"
        found.extend(
            cyrillic_to_latin(s.strip()) for s in path.read_text(encoding="utf-8").splitlines()
        )
    return [s for s in found if len(s.split()) >= 3]


def fold(text: str) -> str:
    """Type the text the way a keyboard without BCS letters does (đ -> dj)."""
    return text.replace("đ", "dj").replace("Đ", "Dj").translate(FOLD)


def _flavour(rng: random.Random, text: str) -> str:
    """About 10% Cyrillic, 10% without diacritics, the rest as written."""
    roll = rng.random()
    if roll < 0.10:
        return latin_to_cyrillic(text)
    if roll < 0.20:
        return fold(text)
    return text


def _text(rng: random.Random, pool: list[str], words: int) -> str:
    """Whole sentences until ``words`` words, cut to exactly that many."""
    out: list[str] = []
    while len(out) < words:
        out.extend(rng.choice(pool).split())
    return " ".join(out[:words])


def generate(posts: int, threads: int, seed: int = 20261127) -> Iterator[BenchPost]:
    """Yield ``posts`` posts in ``threads`` threads, thread starters first within each."""
    rng = random.Random(seed)
    pool = sentences()
    slugs = ("regulation", "planning", "reporting", "participation")
    sizes = [1] * threads
    for _ in range(posts - threads):
        sizes[rng.randrange(threads)] += 1
    post_id = 0
    for thread_index, size in enumerate(sizes):
        thread_id = thread_index + 1
        title = _flavour(rng, _text(rng, pool, rng.randint(4, 10)).rstrip(".,:;"))
        slug = slugs[thread_index % len(slugs)]
        when = START + timedelta(minutes=thread_index * 150)
        accepted_at = rng.randrange(1, size) if size > 1 and rng.random() < 0.3 else -1
        for n in range(size):
            post_id += 1
            yield BenchPost(
                id=post_id,
                thread_id=thread_id,
                author_id=1 + rng.randrange(500),
                category_slug=slug,
                title=title,
                body=_flavour(rng, _text(rng, pool, rng.randint(30, 300))),
                created_at=when + timedelta(minutes=7 * n),
                is_first=n == 0,
                accepted=n == accepted_at,
            )


def search_doc(post: BenchPost, category_id: int) -> SearchDoc:
    """The document a backend is given for a generated post."""
    return SearchDoc(
        id=f"post:{post.id}",
        type="post",
        version=hashlib.sha1(post.body.encode(), usedforsecurity=False).hexdigest()[:16],
        thread_id=post.thread_id,
        post_id=post.id,
        category_id=category_id,
        author_id=post.author_id,
        author=f"Korisnik {post.author_id}",
        title=post.title,
        body=post.body,
        created_at=post.created_at,
        is_first=post.is_first,
        accepted=post.accepted,
        solved=False,
    )


def load_database(items: list[BenchPost], password_hash: str, chunk: int = 5000) -> None:
    """Bulk-insert users, threads and posts (the app's services would take an hour)."""
    category_ids = dict(db.session.execute(select(Category.slug, Category.id)).all())
    now = datetime.now(UTC)
    db.session.execute(
        insert(User),
        [
            {
                "id": n,
                "email": f"bench{n}@example.ba",
                "display_name": f"Korisnik {n}",
                "password_hash": password_hash,
                "confirmed_at": now,
                "approved_posts": 10,
                "function": "other",
                "municipality": "",
                "mz": "",
                "is_admin": False,
                "created_at": now,
                "suspension_reason": "",
            }
            for n in range(1, 501)
        ],
    )
    solved = {p.thread_id for p in items if p.accepted}
    counts: dict[int, int] = {}
    last: dict[int, datetime] = {}
    for p in items:
        counts[p.thread_id] = counts.get(p.thread_id, 0) + 1
        last[p.thread_id] = p.created_at
    threads = [p for p in items if p.is_first]
    for start in range(0, len(threads), chunk):
        db.session.execute(
            insert(Thread),
            [
                _thread_row(p, category_ids, counts, last, solved)
                for p in threads[start : start + chunk]
            ],
        )
    for start in range(0, len(items), chunk):
        db.session.execute(insert(Post), [_post_row(p) for p in items[start : start + chunk]])
    if db.engine.dialect.name == "postgresql":  # explicit ids do not advance the sequences
        for table in ("users", "threads", "posts"):
            sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"  # noqa: S608
            db.session.execute(text(sql))  # table names above are fixed, not input
    db.session.commit()


def _thread_row(p: BenchPost, category_ids: dict, counts: dict, last: dict, solved: set) -> dict:
    return {
        "id": p.thread_id,
        "category_id": category_ids[p.category_slug],
        "author_id": p.author_id,
        "title": p.title,
        "created_at": p.created_at,
        "last_post_at": last[p.thread_id],
        "post_count": counts[p.thread_id],
        "locked": False,
        "pinned": False,
        "solved": p.thread_id in solved,
        "hidden_reason": "",
        "approved": True,
    }


def _post_row(p: BenchPost) -> dict:
    return {
        "id": p.id,
        "thread_id": p.thread_id,
        "author_id": p.author_id,
        "is_first": p.is_first,
        "body_md": p.body,
        "body_html": f"<p>{escape(p.body)}</p>",
        "created_at": p.created_at,
        "approved": True,
        "accepted": p.accepted,
        "hidden_reason": "",
    }
