"""Moderation actions on posts and threads (POST, CSRF), each with a small form page.

Every view loads first (a post or thread the user may not read is a 404), then asks a
permissions predicate (403), then calls one service.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from board import ratelimits
from board.extensions import db
from board.forms import ConfirmForm, ReasonForm
from board.forum import service as forum
from board.forum.loaders import load_post_or_404, load_thread_or_404
from board.models import Category
from board.moderation import bp, service
from board.moderation.forms import FlagForm, MoveForm
from board.permissions import (
    can_flag_post,
    can_moderate_category,
    can_moderate_post,
    can_moderate_thread,
    can_move_thread,
    can_read_post,
    can_undo_delete,
    require,
)


def _back(post_or_thread) -> str:
    """Back to the post, or to its thread when the action made the post unreadable."""
    if hasattr(post_or_thread, "thread_id"):
        if can_read_post(current_user, post_or_thread):
            return url_for("forum.permalink", post_id=post_or_thread.id)
        return post_or_thread.thread.url
    return post_or_thread.url


def _done(target, message: str, category: str = "success"):
    flash(message, category)
    return redirect(_back(target))


def _refused(target, error: service.ModerationError):
    flash(str(error), "error")
    return redirect(_back(target))


# Posts ----------------------------------------------------------------------------------


@bp.route("/p/<int:post_id>/flag", methods=["GET", "POST"])
@login_required
@ratelimits.flagging
def flag(post_id: int):
    post = load_post_or_404(post_id)
    require(can_flag_post(current_user, post))
    form = FlagForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("moderation/flag.html", post=post, form=form), status
    try:
        service.flag_post(current_user, post, form.reason.data, form.text.data or "")
    except service.ModerationError as error:
        return _refused(post, error)
    return _done(post, _("Thank you. The moderators will look at your report."))


@bp.route("/p/<int:post_id>/hide", methods=["GET", "POST"])
@login_required
def hide_post(post_id: int):
    post = load_post_or_404(post_id)
    require(can_moderate_post(current_user, post))
    form = ReasonForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("moderation/hide.html", target=post, is_post=True, form=form), status
    service.hide_post(current_user, post, form.reason.data)
    return _done(post, _("The post is hidden. Its author has been told why."), "info")


@bp.post("/p/<int:post_id>/restore")
@login_required
def restore_post(post_id: int):
    """A moderator shows a hidden post again; an author takes back their own delete."""
    post = load_post_or_404(post_id, allow_deleted=True)
    if post.is_deleted:
        return _undo_delete(post)
    require(can_moderate_post(current_user, post))
    if not ConfirmForm().validate_on_submit():
        return redirect(_back(post))
    try:
        service.restore_post(current_user, post)
    except service.ModerationError as error:
        return _refused(post, error)
    return _done(post, _("The post is visible again."))


def _undo_delete(post):
    require(can_undo_delete(current_user, post))
    if ConfirmForm().validate_on_submit():
        forum.undo_delete(current_user, post)
        flash(_("The post is back."), "success")
    return redirect(url_for("forum.permalink", post_id=post.id))


@bp.post("/p/<int:post_id>/approve")
@login_required
def approve_post(post_id: int):
    post = load_post_or_404(post_id)
    require(can_moderate_post(current_user, post))
    if not ConfirmForm().validate_on_submit():
        return redirect(_back(post))
    try:
        service.approve_post(current_user, post)
    except service.ModerationError as error:
        return _refused(post, error)
    flash(_("The post is approved and visible to everyone."), "success")
    if request.form.get("next") == "mod":
        return redirect(url_for("moderation.queues"))
    return redirect(_back(post))


# Threads --------------------------------------------------------------------------------


def _switch(thread_id: int, verb: str, message: str):
    thread = load_thread_or_404(thread_id)
    require(can_moderate_thread(current_user, thread))
    if ConfirmForm().validate_on_submit():
        service.switch_thread(current_user, thread, verb)
        flash(message, "success")
    return redirect(thread.url)


@bp.post("/t/<int:thread_id>/lock")
@login_required
def lock(thread_id: int):
    return _switch(thread_id, "lock", _("The thread is locked."))


@bp.post("/t/<int:thread_id>/unlock")
@login_required
def unlock(thread_id: int):
    return _switch(thread_id, "unlock", _("The thread is unlocked."))


@bp.post("/t/<int:thread_id>/pin")
@login_required
def pin(thread_id: int):
    return _switch(thread_id, "pin", _("The thread is pinned."))


@bp.post("/t/<int:thread_id>/unpin")
@login_required
def unpin(thread_id: int):
    return _switch(thread_id, "unpin", _("The thread is no longer pinned."))


@bp.route("/t/<int:thread_id>/hide", methods=["GET", "POST"])
@login_required
def hide_thread(thread_id: int):
    thread = load_thread_or_404(thread_id)
    require(can_moderate_thread(current_user, thread))
    form = ReasonForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template(
            "moderation/hide.html", target=thread, is_post=False, form=form
        ), status
    service.hide_thread(current_user, thread, form.reason.data)
    return _done(thread, _("The thread is hidden. Its author has been told why."), "info")


@bp.post("/t/<int:thread_id>/restore")
@login_required
def restore_thread(thread_id: int):
    thread = load_thread_or_404(thread_id)
    require(can_moderate_thread(current_user, thread))
    if not ConfirmForm().validate_on_submit():
        return redirect(thread.url)
    try:
        service.restore_thread(current_user, thread)
    except service.ModerationError as error:
        return _refused(thread, error)
    return _done(thread, _("The thread is visible again."))


def move_choices(user, thread) -> list[tuple[str, str]]:
    """Categories a moderator may move ``thread`` to: the others they moderate."""
    categories = db.session.scalars(select(Category).order_by(Category.position, Category.name))
    return [
        (c.slug, c.name)
        for c in categories
        if c.id != thread.category_id and can_moderate_category(user, c)
    ]


@bp.route("/t/<int:thread_id>/move", methods=["GET", "POST"])
@login_required
def move(thread_id: int):
    thread = load_thread_or_404(thread_id)
    require(can_moderate_thread(current_user, thread))
    form = MoveForm()
    form.category.choices = [SelectChoice(v, n) for v, n in move_choices(current_user, thread)]
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("moderation/move.html", thread=thread, form=form), status
    target = db.session.scalar(select(Category).where(Category.slug == form.category.data))
    if target is None:
        form.category.errors = [_("There is no such category.")]
        return render_template("moderation/move.html", thread=thread, form=form), 400
    require(can_move_thread(current_user, thread, target))
    try:
        service.move_thread(current_user, thread, target)
    except service.ModerationError as error:
        return _refused(thread, error)
    return _done(thread, _("The thread is moved to %(name)s.", name=target.name))


@bp.app_context_processor
def _move_targets() -> dict:
    """The thread-actions partial lists move targets without a query of its own."""
    return {"move_choices": move_choices}
