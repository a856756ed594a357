"""Handles: the ``@name`` a member is mentioned by and the ``/u/<handle>`` of their profile.

A handle is ``[a-z0-9._-]``, 3–30 characters, with at least one letter (``/u/123`` is the
numeric profile address), unique without regard to case (it is stored lower-case).
Accounts created anywhere without a handle get one derived from the display name on
flush, with a number added on collision.
"""

from __future__ import annotations

import re

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from board.extensions import db
from board.models import HandleAlias, User
from board.search.analysis import fold
from board.text.script import cyrillic_to_latin

HANDLE = re.compile(r"^(?=.*[a-z])[a-z0-9._-]{3,30}$")
MIN, MAX = 3, 30
_installed = False


class HandleError(ValueError):
    """A handle that breaks the rules or is taken (the message is shown to the user)."""


def base_handle(display_name: str) -> str:
    """The handle a display name suggests: Latin, folded, lower-case, words joined by dots."""
    text = fold(cyrillic_to_latin(display_name or "").lower())
    text = re.sub(r"[^a-z0-9._-]+", ".", text)
    text = re.sub(r"[._-]{2,}", ".", text).strip("._-")[:MAX].strip("._-")
    if not re.search(r"[a-z]", text):
        text = f"clan{text}"[:MAX] if text else "clan"
    return text if len(text) >= MIN else (text + "clan")[:MAX]


def derive_handle(display_name: str, taken: set[str] | None = None) -> str:
    """A free handle for a display name: the base, or the base with the first free number."""
    base = base_handle(display_name)
    used = set(taken or ())
    used |= set(
        db.session.scalars(select(User.handle).where(User.handle.like(f"{base[: MAX - 4]}%")))
    )
    used |= set(
        db.session.scalars(
            select(HandleAlias.handle).where(HandleAlias.handle.like(f"{base[: MAX - 4]}%"))
        )
    )
    if base not in used:
        return base
    n = 2
    while True:
        candidate = f"{base[: MAX - len(str(n))]}{n}"
        if candidate not in used:
            return candidate
        n += 1


def is_valid(handle: str) -> bool:
    """Whether ``handle`` follows the rules (lower-case already)."""
    return bool(HANDLE.match(handle))


def find_by_handle(handle: str) -> tuple[User | None, bool]:
    """The member with this handle, and whether it was an old one (to redirect)."""
    handle = handle.strip().lower()
    user = db.session.scalar(select(User).where(User.handle == handle))
    if user is not None:
        return user, False
    alias = db.session.scalar(select(HandleAlias).where(HandleAlias.handle == handle))
    return (db.session.get(User, alias.user_id), True) if alias else (None, False)


def users_by_handles(handles: set[str]) -> dict[str, User]:
    """Members by (current) handle, in one query."""
    if not handles:
        return {}
    rows = db.session.scalars(select(User).where(User.handle.in_(sorted(handles))))
    return {user.handle: user for user in rows}


def existing_handles(handles: set[str]) -> set[str]:
    """Which of ``handles`` belong to a member (for linking mentions)."""
    if not handles:
        return set()
    return set(db.session.scalars(select(User.handle).where(User.handle.in_(sorted(handles)))))


def check_handle(user: User | None, handle: str) -> str:
    """The normalised handle if ``user`` may take it; raises HandleError otherwise."""
    from flask_babel import gettext as _

    handle = (handle or "").strip().lower().lstrip("@")
    if not is_valid(handle):
        raise HandleError(
            _(
                "A handle has 3 to 30 characters: letters a–z, digits, dots, hyphens and "
                "underscores, with at least one letter."
            )
        )
    owner = db.session.scalar(select(User.id).where(func.lower(User.handle) == handle))
    alias_owner = db.session.scalar(select(HandleAlias.user_id).where(HandleAlias.handle == handle))
    mine = user.id if user is not None else None
    if (owner is not None and owner != mine) or (alias_owner is not None and alias_owner != mine):
        raise HandleError(_("This handle is taken."))
    return handle


def change_handle(user: User, handle: str) -> bool:
    """Give ``user`` a new handle, keeping the old one as a redirect; the caller commits."""
    handle = check_handle(user, handle)
    if handle == user.handle:
        return False
    old = user.handle
    alias = db.session.scalar(select(HandleAlias).where(HandleAlias.handle == handle))
    if alias is not None:  # taking one's own old handle back
        db.session.delete(alias)
        db.session.flush()
    user.handle = handle
    db.session.add(HandleAlias(handle=old, user_id=user.id))
    return True


def complete(prefix: str, limit: int = 8) -> list[User]:
    """Members whose handle or name starts with ``prefix``, for the editor's completion."""
    prefix = prefix.strip().lower().lstrip("@")
    if not prefix or len(prefix) > MAX:
        return []
    pattern = prefix.replace("\\", "").replace("%", "").replace("_", "\\_") + "%"
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.handle.like(pattern, escape="\\")
                | func.lower(User.display_name).like(pattern, escape="\\")
            )
            .order_by(User.handle)
            .limit(limit)
        )
    )


def _assign_missing(session: Session, _context, _instances) -> None:
    """Every new account gets a handle, whichever code path created it."""
    taken: set[str] = set()
    for obj in list(session.new):
        if isinstance(obj, User) and not obj.handle:
            with session.no_autoflush:
                obj.handle = derive_handle(obj.display_name, taken)
            taken.add(obj.handle)


def install() -> None:
    """Listen to the ORM sessions once per process."""
    global _installed
    if _installed:
        return
    from flask_sqlalchemy.session import Session as FlaskSession

    event.listen(FlaskSession, "before_flush", _assign_missing)
    _installed = True
