"""Account settings use cases: password, e-mail address, export, deletion.

Each commits once; mail goes out only after the commit. Search follows through the
outbox: posts and documents changed here are ORM changes the outbox records.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from typing import IO

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from board.auth import service
from board.auth.passwords import verify_password
from board.documents.service import safe_filename
from board.documents.storage import get_storage
from board.extensions import db
from board.forum import service as forum
from board.models import Document, Membership, Post, PostRevision, StagedUpload, User
from board.models.base import utcnow

EMAIL_SALT = "change-email"


class AccountError(Exception):
    """A settings change that cannot be made; ``str(error)`` says why to the user."""


def check_password(user: User, password: str) -> bool:
    """Whether ``password`` is the user's current one (asked before sensitive changes)."""
    return verify_password(user.password_hash, password)


def change_password(user: User, new_password: str) -> None:
    """Set a new password through the same function a reset uses (it also ends the
    account's other sessions and invalidates outstanding reset links)."""
    service.reset_password(user, new_password)


def request_email_change(user: User, new_email: str) -> None:
    """Mail a confirmation link to the new address; nothing changes until it is opened.

    An address already in use gets no link (and the page says the same either way).
    """
    new_email = service.normalise_email(new_email)
    if new_email == user.email:
        raise AccountError(_("That is already your e-mail address."))
    if service.find_user_by_email(new_email) is not None:
        return
    token = service._serializer(EMAIL_SALT).dumps(
        {"uid": user.id, "old": user.email, "new": new_email}
    )
    link = url_for("auth.confirm_email_change", token=token, _external=True)
    _send_to(
        user,
        new_email,
        _l("Confirm your new e-mail address"),
        "mail/email_change.txt",
        link=link,
        new_email=new_email,
    )


def confirm_email_change(token: str) -> User:
    """Move the account to the new address the link was issued for; tell the old one."""
    data = service._load(EMAIL_SALT, token, current_app.config["CONFIRM_MAX_AGE"])
    user = db.session.get(User, data.get("uid"))
    new_email = data.get("new", "")
    if user is None or user.is_deleted or user.email != data.get("old") or not new_email:
        raise service.TokenError
    if service.find_user_by_email(new_email) is not None:
        raise service.TokenError
    old_email = user.email
    user.email = new_email
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
    db.session.commit()
    _send_to(
        user,
        old_email,
        _l("Your e-mail address was changed"),
        "mail/email_changed.txt",
        new_email=new_email,
    )
    return user


def _send_to(user: User, address: str, subject: object, template: str, **context: str) -> None:
    """Mail ``address`` (not necessarily the account's) in the user's language."""
    from flask import render_template

    from board import mail

    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        body = render_template(template, user=user, **context)
        subject_text = str(subject)
    mail.send(address, subject_text, body)


# Export ---------------------------------------------------------------------------------


def export_data(user: User) -> IO[bytes]:
    """A ZIP of everything the member wrote and shared: profile, posts, documents.

    Spooled to disk past 10 MB: a member's documents can be large.
    """
    out = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115 - returned
    storage = get_storage()
    posts = db.session.scalars(select(Post).where(Post.author_id == user.id).order_by(Post.id))
    documents = db.session.scalars(
        select(Document).where(Document.uploader_id == user.id).order_by(Document.id)
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("profile.json", _json(_profile(user)))
        archive.writestr("posts.json", _json([_post(p) for p in posts]))
        listed = []
        for document in documents:
            name = f"documents/{document.id}-{safe_filename(document.filename)}"
            if storage.exists(document.sha256):
                with storage.open(document.sha256) as blob, archive.open(name, "w") as target:
                    while chunk := blob.read(1024 * 1024):
                        target.write(chunk)
            listed.append({**_document(document), "file": name})
        archive.writestr("documents.json", _json(listed))
    out.seek(0)
    return out


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _profile(user: User) -> dict:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "function": user.function,
        "municipality": user.municipality.name if user.municipality else user.municipality_text,
        "mz": user.mz.name if user.mz else user.mz_text,
        "bio": user.bio,
        "gender": user.gender,
        "in_directory": user.in_directory,
        "locale": user.locale,
        "created_at": user.created_at.isoformat(),
        "two_step_login": user.has_two_factor,
    }


def _post(post: Post) -> dict:
    return {
        "id": post.id,
        "thread_id": post.thread_id,
        "thread_title": post.thread.title,
        "url": post.url,
        "created_at": post.created_at.isoformat(),
        "edited_at": post.edited_at.isoformat() if post.edited_at else None,
        "deleted": post.is_deleted,
        "body": post.body_md,
    }


def _document(document: Document) -> dict:
    return {
        "id": document.id,
        "post_id": document.post_id,
        "filename": document.filename,
        "title": document.title,
        "size": document.size,
        "created_at": document.created_at.isoformat(),
    }


# Deletion -------------------------------------------------------------------------------


def delete_account(user: User, *, remove_posts: bool) -> None:
    """Close the account for good.

    The row stays, nameless, so threads keep their shape: with ``remove_posts`` the
    member's posts are deleted (and their documents with them), otherwise they stay
    under the name "former member" (in the board's language). Either way the e-mail
    address, password, profile, memberships and two-step secrets are erased.
    """
    posts = list(db.session.scalars(select(Post).where(Post.author_id == user.id)))
    blobs = _remove_posts(posts) if remove_posts else set()
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        user.display_name = _("Former member")
    user.email = f"deleted-{user.id}@invalid"
    user.password_hash = ""
    user.function = "other"
    user.municipality = None
    user.mz = None
    user.municipality_text = ""
    user.mz_text = ""
    user.bio = ""
    user.gender = "undisclosed"
    user.in_directory = False
    user.locale = None
    user.is_admin = False
    user.totp_secret = None
    user.totp_enabled_at = None
    user.deleted_at = utcnow()
    for code in list(user.recovery_codes):
        db.session.delete(code)
    for membership in db.session.scalars(select(Membership).where(Membership.user_id == user.id)):
        db.session.delete(membership)
    db.session.commit()
    _forget_blobs(blobs)


def _forget_blobs(blobs: set[str]) -> None:
    """Delete stored files no document refers to any more (after the commit)."""
    storage = get_storage()
    for sha in blobs:
        used = db.session.scalar(select(Document.id).where(Document.sha256 == sha).limit(1))
        staged = db.session.scalar(select(StagedUpload.id).where(StagedUpload.sha256 == sha))
        if used is None and staged is None:
            storage.delete(sha)


def _remove_posts(posts: list[Post]) -> set[str]:
    """Delete the posts and erase their text, revisions and documents; returns the
    sha256 of the documents' files."""
    blobs: set[str] = set()
    threads = {}
    now = utcnow()
    for post in posts:
        if post.deleted_at is None:
            post.deleted_at = now
        post.accepted = False
        post.body_md = ""
        post.body_html = ""
        threads[post.thread_id] = post.thread
        for revision in db.session.scalars(
            select(PostRevision).where(PostRevision.post_id == post.id)
        ):
            db.session.delete(revision)
        for document in list(post.documents):
            blobs.add(document.sha256)
            db.session.delete(document)
    for thread in threads.values():
        if not any(p.accepted for p in _thread_posts(thread)):
            thread.solved = False
        forum.refresh_thread(thread)
    return blobs


def _thread_posts(thread) -> list[Post]:
    """The posts of a thread (to recompute its solved flag)."""
    return list(db.session.scalars(select(Post).where(Post.thread_id == thread.id)))
