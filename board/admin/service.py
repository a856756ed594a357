"""Administration use cases: associations, memberships, categories, accounts. Each writes
its audit line in the same transaction and commits once.

The admin pages and the ``flask board`` commands call the same functions, so both leave
the same audit lines; ``admin`` is None when the command line acts.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from board.audit import change, record
from board.auth.service import create_user
from board.extensions import db
from board.models import Association, Category, Membership, User


class AdminError(Exception):
    """A request that conflicts with what exists (a taken slug, a duplicate membership)."""


def _slug_taken(model, slug: str) -> bool:
    return db.session.scalar(select(model.id).where(model.slug == slug)) is not None


def create_association(admin: User | None, slug: str, name: str, description: str) -> Association:
    """A new member association, which can then own categories."""
    if _slug_taken(Association, slug):
        raise AdminError(_("An association with this short name exists already."))
    association = Association(slug=slug, name=name.strip(), description=description.strip())
    db.session.add(association)
    db.session.flush()
    record(admin, "create_association", association, after={"slug": slug, "name": name.strip()})
    db.session.commit()
    return association


def update_association(
    admin: User | None, association: Association, name: str, description: str
) -> None:
    """Rename an association or change its description."""
    if change(admin, "edit_association", association, name=name, description=description):
        db.session.commit()


def add_member(
    admin: User | None, association: Association, user: User, moderator: bool
) -> Membership:
    """Make a user a member (or moderator) of an association."""
    existing = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.association_id == association.id
        )
    )
    if existing is not None:
        raise AdminError(_("%(name)s is already a member.", name=user.display_name))
    membership = _add_member(admin, association, user, moderator)
    db.session.commit()
    return membership


def _add_member(
    admin: User | None, association: Association, user: User, moderator: bool
) -> Membership:
    membership = Membership(user=user, association=association, is_moderator=moderator)
    db.session.add(membership)
    record(
        admin, "add_member", user, after={"association": association.slug, "moderator": moderator}
    )
    return membership


def create_account(
    admin: User | None,
    email: str,
    name: str,
    password: str,
    *,
    is_admin: bool = False,
    association: Association | None = None,
    moderator: bool = False,
    handle: str | None = None,
) -> User:
    """A confirmed account (``flask board users create``), with its membership of an
    association recorded exactly as the association page records one. Without a
    ``handle`` one is derived from the name."""
    user = create_user(
        email, name, password, confirmed=True, **({"handle": handle} if handle else {})
    )
    user.is_admin = is_admin
    if association is not None:
        _add_member(admin, association, user, moderator)
    db.session.commit()
    return user


def set_moderator(admin: User | None, membership: Membership, moderator: bool) -> None:
    """Appoint a member as moderator of their association, or remove the appointment."""
    if membership.is_moderator == moderator:
        return
    membership.is_moderator = moderator
    record(
        admin,
        "appoint_moderator" if moderator else "remove_moderator",
        membership.user,
        before={"association": membership.association.slug, "moderator": not moderator},
        after={"association": membership.association.slug, "moderator": moderator},
    )
    db.session.commit()


def remove_member(admin: User | None, membership: Membership) -> None:
    """End a membership (and with it any moderator appointment)."""
    user, association = membership.user, membership.association
    record(
        admin,
        "remove_member",
        user,
        before={"association": association.slug, "moderator": membership.is_moderator},
    )
    db.session.delete(membership)
    db.session.commit()


CATEGORY_FIELDS = ("name", "description", "guidelines", "visibility", "archived", "position")


def _category_state(category: Category) -> dict:
    state = {field: getattr(category, field) for field in CATEGORY_FIELDS}
    state["association"] = category.association.slug if category.association else None
    return state


def create_category(
    admin: User | None, slug: str, association: Association | None, **fields
) -> Category:
    """A new category; ``fields`` are the editable ones in ``CATEGORY_FIELDS``."""
    if _slug_taken(Category, slug):
        raise AdminError(_("A category with this short name exists already."))
    category = Category(slug=slug, association=association, **_clean(fields))
    db.session.add(category)
    db.session.flush()
    record(admin, "create_category", category, after=_category_state(category))
    db.session.commit()
    return category


def update_category(
    admin: User | None, category: Category, association: Association | None, **fields
) -> bool:
    """Rename, archive, reorder, reassign or change the visibility of a category."""
    before = _category_state(category)
    for name, value in _clean(fields).items():
        setattr(category, name, value)
    category.association = association
    after = _category_state(category)
    if before == after:
        return False
    changed = [k for k in after if after[k] != before[k]]
    record(
        admin,
        "edit_category",
        category,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    db.session.commit()
    return True


def _clean(fields: dict) -> dict:
    unknown = set(fields) - set(CATEGORY_FIELDS)
    if unknown:
        raise TypeError(f"not category fields: {sorted(unknown)}")
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


def shift_category(admin: User | None, category: Category, step: int) -> None:
    """Move a category one place up (-1) or down (+1) in the listing, renumbering all."""
    ordered = list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))
    index = ordered.index(category)
    other = index + step
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    before = category.position
    for position, item in enumerate(ordered):
        item.position = position
    record(
        admin,
        "reorder_category",
        category,
        before={"position": before},
        after={"position": category.position},
    )
    db.session.commit()
