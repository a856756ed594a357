"""Factories with keyword defaults: build exactly the world a test needs."""

from __future__ import annotations

import functools
import itertools

from sqlalchemy import select

from board.auth.passwords import hash_password
from board.auth.service import normalise_email
from board.extensions import db
from board.forum import service as forum
from board.models import Association, Category, Membership, Post, Thread, User
from board.models.base import utcnow

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


@functools.lru_cache(maxsize=32)
def _hash(password: str) -> str:
    """A real scrypt hash, computed once per password: each one takes ~0.25 s."""
    return hash_password(password)


def make_user(
    email: str | None = None,
    display_name: str | None = None,
    *,
    password: str = PASSWORD,
    confirmed: bool = True,
    is_admin: bool = False,
    trusted: bool = True,
    moderator_of: Association | None = None,
    member_of: Association | None = None,
    **profile: str,
) -> User:
    """A user; ``trusted`` users are past the new-member approval queue."""
    n = next(_seq)
    user = User(
        email=normalise_email(email or f"user{n}@example.ba"),
        display_name=display_name or f"Korisnik {n}",
        password_hash=_hash(password),
        confirmed_at=utcnow() if confirmed else None,
        **profile,
    )
    db.session.add(user)
    user.is_admin = is_admin
    user.approved_posts = 10 if trusted else 0
    for association, is_moderator in ((moderator_of, True), (member_of, False)):
        if association is not None:
            db.session.add(
                Membership(user=user, association=association, is_moderator=is_moderator)
            )
    db.session.commit()
    return user


def make_association(slug: str | None = None, name: str | None = None) -> Association:
    n = next(_seq)
    association = Association(slug=slug or f"assoc-{n}", name=name or f"Savez {n}")
    db.session.add(association)
    db.session.commit()
    return association


def category(slug: str) -> Category:
    return db.session.scalar(select(Category).where(Category.slug == slug))


def make_category(
    slug: str | None = None,
    *,
    name: str | None = None,
    association: Association | None = None,
    visibility: str = "public",
    archived: bool = False,
) -> Category:
    n = next(_seq)
    cat = Category(
        slug=slug or f"cat-{n}",
        name=name or f"Kategorija {n}",
        association=association,
        visibility=visibility,
        archived=archived,
        position=100 + n,
    )
    db.session.add(cat)
    db.session.commit()
    return cat


def make_thread(
    author: User | None = None,
    category_: Category | None = None,
    *,
    title: str = "Kako sazvati zbor građana?",
    body: str = "Pitanje o sazivanju zbora građana u mjesnoj zajednici.",
    replies: int = 0,
    replier: User | None = None,
) -> Thread:
    """A thread through the real service, so counts, outbox and HTML are as in production."""
    author = author or make_user()
    category_ = category_ or category("regulation")
    post = forum.start_thread(author, category_, title, body)
    for i in range(replies):
        forum.reply(replier or author, post.thread, f"Odgovor broj {i + 1}.")
    return post.thread


def make_reply(thread: Thread, author: User, body: str = "Evo odgovora.") -> Post:
    return forum.reply(author, thread, body)


def first_post(thread: Thread) -> Post:
    return db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.is_first))
