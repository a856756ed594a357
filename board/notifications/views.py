"""Notification pages, watching, mail settings, unsubscribe, profiles by handle.

Views load (404), authorise (403), call one service and respond.
"""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from board.extensions import csrf
from board.forms import ConfirmForm
from board.forum.loaders import load_category_or_404, load_thread_or_404
from board.notifications import bp, handles, listing, service
from board.notifications.forms import (
    CategoryWatchForm,
    HandleForm,
    MailSettingsForm,
    ThreadWatchForm,
)
from board.notifications.tokens import user_for_unsubscribe
from board.permissions import can_watch_category, can_watch_thread, require


@bp.get("/notifications")
@login_required
def index():
    items = listing.latest(current_user)
    return render_template("notifications/list.html", items=items)


@bp.get("/notifications/<int:notification_id>")
@login_required
def open_one(notification_id: int):
    """Opening a notification marks it read and goes to what it is about."""
    url = listing.open_notification(current_user, notification_id)
    if url is None:
        abort(404)
    return redirect(url)


@bp.post("/notifications/read")
@login_required
def mark_read():
    """Mark one (``id``) or all of the member's notifications as read."""
    if ConfirmForm().validate_on_submit():
        one = request.form.get("id", "")
        listing.mark_read(current_user, int(one) if one.isdigit() else None)
    return redirect(url_for("notifications.index"))


@bp.get("/api/v1/notifications")
def api():
    if not current_user.is_authenticated:
        return jsonify({"error": _("Log in to see your notifications.")}), 401
    return jsonify(listing.as_json(current_user))


@bp.post("/t/<int:thread_id>/watch")
@login_required
def watch_thread(thread_id: int):
    thread = load_thread_or_404(thread_id)
    require(can_watch_thread(current_user, thread))
    saved = _("Your notification level for this thread is saved.")
    return _save_level(ThreadWatchForm(), thread.url, saved, thread=thread)


@bp.post("/c/<slug>/watch")
@login_required
def watch_category(slug: str):
    category = load_category_or_404(slug)
    require(can_watch_category(current_user, category))
    saved = _("Your notification level for this category is saved.")
    return _save_level(CategoryWatchForm(), category.url, saved, category=category)


def _save_level(form, back: str, saved: str, **watched):
    """The watch level for a thread or a category; back where the member was either way."""
    if not form.validate_on_submit():
        flash(_("Choose one of the notification levels."), "error")
        return redirect(back), 400
    service.set_level(current_user, form.level.data, **watched)
    flash(saved, "success")
    return redirect(back)


@bp.route("/settings/notifications", methods=["GET", "POST"])
@login_required
def settings():
    form = MailSettingsForm(email_mode=current_user.email_mode)
    handle_form = HandleForm(handle=current_user.handle, prefix="h")
    if request.method == "POST" and "h-handle" in request.form:
        return _change_handle(form, handle_form)
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return _settings_page(form, handle_form, status)
    listing.set_email_mode(current_user, form.email_mode.data)
    flash(_("Your notification settings are saved."), "success")
    return redirect(url_for("notifications.settings"))


def _change_handle(form, handle_form):
    if not handle_form.validate_on_submit():
        return _settings_page(form, handle_form, 400)
    try:
        listing.change_handle(current_user, handle_form.handle.data)
    except handles.HandleError as error:
        handle_form.handle.errors = [str(error)]
        return _settings_page(form, handle_form, 400)
    flash(_("Your handle is now @%(handle)s.", handle=current_user.handle), "success")
    return redirect(url_for("notifications.settings"))


def _settings_page(form, handle_form, status: int):
    return render_template(
        "notifications/settings.html", form=form, handle_form=handle_form
    ), status


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058 one-click: the mail client POSTs without a session or token
def unsubscribe(token: str):
    user = user_for_unsubscribe(token)
    if user is None:
        return render_template("notifications/unsubscribe.html", invalid=True), 400
    if request.method == "POST":
        listing.set_email_mode(user, "off")
        return render_template("notifications/unsubscribe.html", done=True, member=user)
    return render_template("notifications/unsubscribe.html", member=user, token=token)


@bp.get("/u/<handle>")
def profile(handle: str):
    user, old = handles.find_by_handle(handle)
    if user is None:
        abort(404)
    if old or handle != user.handle:
        return redirect(url_for("notifications.profile", handle=user.handle), 301)
    return render_template("notifications/profile.html", **listing.profile(current_user, user))


@bp.get("/api/v1/handles")
@login_required
def complete_handles():
    """Handle completion for the editor: members whose handle or name starts with ``q``."""
    users = handles.complete(request.args.get("q", ""))
    return jsonify([{"handle": u.handle, "name": u.display_name} for u in users])


@bp.app_context_processor
def watch_helpers() -> dict:
    """The watch forms on thread and category pages, without touching the forum views."""
    return {
        "thread_level": service.thread_level,
        "category_level": service.category_level,
        "thread_watch_form": ThreadWatchForm,
        "category_watch_form": CategoryWatchForm,
        "unread_moderation": listing.unread_moderation,
    }
