"""Hooks through which a lower layer sets off work that a higher one owns.

The forum and the audit log sit below notifications in the package layers, yet a new
post must notify its watchers and a notice must queue its mail, in the same transaction
as the write. The higher package registers its handlers here when the app is built
(``board.notifications.init_app``); the lower one calls the named function below. An
event with no handler does nothing, which is what a bare model test or a script without
the app wants. Handlers run inline: one transaction, and the caller's one commit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_handlers: dict[str, list[Callable[..., Any]]] = {}
_resolver: list[Callable[[set[str]], set[str]]] = []


def register(event: str, handler: Callable[..., Any]) -> None:
    """Run ``handler`` on ``event``; registering the same function twice is harmless."""
    handlers = _handlers.setdefault(event, [])
    if handler not in handlers:
        handlers.append(handler)


def _emit(event: str, *args: Any) -> None:
    for handler in _handlers.get(event, ()):
        handler(*args)


def post_created(post: Any) -> None:
    """A post was written (published or queued): watchers, mentions, the queue."""
    _emit("post_created", post)


def post_edited(post: Any, before_md: str) -> None:
    """A post's text changed (``before_md`` was its text): members newly mentioned."""
    _emit("post_edited", post, before_md)


def post_hidden(post: Any) -> None:
    """A post was hidden or deleted: withdraw what it caused."""
    _emit("post_hidden", post)


def answer_accepted(post: Any, actor: Any) -> None:
    """A reply was accepted as the answer by ``actor``."""
    _emit("answer_accepted", post, actor)


def notifications_added(ids_by_user: dict[int, int]) -> None:
    """In-app notices were inserted (user id -> notification id): queue their mail."""
    _emit("notifications_added", ids_by_user)


def set_handle_resolver(resolver: Callable[[set[str]], set[str]]) -> None:
    """Install the function that says which ``@handle`` candidates are real members."""
    _resolver[:] = [resolver]


def resolve_handles(candidates: set[str]) -> set[str]:
    """The members among ``candidates``; none while nobody has installed a resolver."""
    return _resolver[0](candidates) if _resolver else set()
