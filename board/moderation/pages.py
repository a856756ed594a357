"""Moderation pages: the queues, the audit log, reports, category texts, suspensions, and
every member's notifications.

An object outside the moderator's categories (a report, an audit line) is a 404, exactly
as if it did not exist, so guessing ids reveals nothing.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from board.extensions import db
from board.forms import ConfirmForm
from board.forum.loaders import load_category_or_404
from board.incoming import arg_int
from board.models import Association, Flag, ModerationAction, User
from board.moderation import bp, queues, service
from board.moderation import log as audit_log
from board.moderation.forms import (
    OUTCOME_LABELS,
    REASON_LABELS,
    CategoryTextForm,
    LogFilterForm,
    ResolveFlagForm,
    SuspendForm,
)
from board.permissions import (
    can_edit_category,
    can_restrict,
    can_see_audit_entry,
    can_see_flag,
    can_suspend,
    can_use_mod_tools,
    require,
)


@bp.app_context_processor
def _audit_words() -> dict:
    """Audit lines name their action in words wherever a template shows one."""
    return {"action_label": audit_log.action_label}


def _page() -> int:
    return max(1, arg_int("page", 1, maximum=100_000))


@bp.get("/mod", endpoint="queues")
@login_required
def queues_page():
    require(can_use_mod_tools(current_user))
    flags, queued = queues.open_flags(current_user), queues.queued_posts(current_user)
    actions = db.session.scalars(queues.audit_log(current_user).limit(20)).all()
    return render_template(
        "moderation/queues.html",
        reported=queues.by_post(db.session.scalars(flags.limit(200)).all()),
        flag_count=queues.count(flags),
        queued=db.session.scalars(queued.limit(100)).all(),
        queued_count=queues.count(queued),
        actions=actions,
        targets=audit_log.describe_targets(actions, current_user),
        resolve_form=ResolveFlagForm(),
        confirm_form=ConfirmForm(),
        reason_labels=REASON_LABELS,
    )


@bp.get("/mod/log")
@login_required
def log():
    """The audit log, filtered by ``moderator`` (handle), ``action`` (code), ``category``
    (slug), ``from`` and ``to`` (YYYY-MM-DD); a bad value is a 400 naming it, with the
    other filters still applied."""
    require(can_use_mod_tools(current_user))
    form = LogFilterForm(formdata=request.args)
    form.set_choices(queues.log_people(current_user), queues.log_categories(current_user))
    valid = form.validate()
    query = queues.filtered_log(queues.audit_log(current_user), form.filters())
    entries = db.paginate(query, page=_page(), per_page=50, error_out=False)
    targets = audit_log.describe_targets(entries.items, current_user)
    page = render_template("moderation/log.html", entries=entries, form=form, targets=targets)
    return page, 200 if valid else 400


@bp.get("/mod/log/<int:entry_id>")
@login_required
def log_entry(entry_id: int):
    entry = db.session.get(ModerationAction, entry_id)
    if entry is None or not can_see_audit_entry(current_user, entry):
        abort(404)
    return render_template(
        "moderation/log_entry.html",
        entry=entry,
        target=audit_log.describe_targets([entry], current_user)[
            entry.target_type, entry.target_id
        ],
        changes=audit_log.changes(entry),
    )


def load_flag_or_404(flag_id: int) -> Flag:
    """A report, if the current user moderates the reported post's category."""
    flag = db.session.get(Flag, flag_id)
    if flag is None or not can_see_flag(current_user, flag):
        abort(404)
    return flag


def _flag_page(flag: Flag, form: ResolveFlagForm) -> str:
    """A report with its reason and, once resolved, its outcome as words (not codes)."""
    return render_template(
        "moderation/flag_detail.html",
        flag=flag,
        reports=db.session.scalars(
            select(Flag).where(Flag.post_id == flag.post_id).order_by(Flag.created_at, Flag.id)
        ).all(),
        form=form,
        reason_labels=REASON_LABELS,
        outcome_labels=OUTCOME_LABELS,
    )


@bp.route("/mod/flags/<int:flag_id>", methods=["GET", "POST"])
@login_required
def resolve_flag(flag_id: int):
    flag = load_flag_or_404(flag_id)
    form = ResolveFlagForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return _flag_page(flag, form), status
    try:
        service.resolve_flag(current_user, flag, form.outcome.data, form.reason.data or "")
    except service.ModerationError as error:
        form.reason.errors = [str(error)]
        return _flag_page(flag, form), 400
    flash(_("The report is resolved and the members who sent it have been told."), "success")
    return redirect(url_for("moderation.queues"))


@bp.route("/mod/c/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_category(slug: str):
    category = load_category_or_404(slug)
    require(can_edit_category(current_user, category))
    form = CategoryTextForm(obj=category) if request.method == "GET" else CategoryTextForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("moderation/category.html", category=category, form=form), status
    service.edit_category(
        current_user, category, form.description.data or "", form.guidelines.data or ""
    )
    flash(_("The category is updated."), "success")
    return redirect(category.url)


def suspension_scopes(user: User, target: User) -> list[tuple[str, str]]:
    """Where ``user`` may keep ``target`` from posting: ``""`` is the whole board (admins),
    an association's slug its categories (that association's moderators, and admins)."""
    scopes = [("", _("The whole board"))] if can_suspend(user, target) else []
    associations = db.session.scalars(select(Association).order_by(Association.name))
    scopes += [(a.slug, a.name) for a in associations if can_restrict(user, target, a.id, 1)]
    return scopes


def _load_target_or_404(user_id: int) -> User:
    target = db.session.get(User, user_id)
    if target is None:
        abort(404)
    return target


def _suspend_page(target: User, form: SuspendForm, status: int = 200):
    return render_template("moderation/suspend.html", target=target, form=form), status


@bp.route("/mod/u/<int:user_id>/suspend", methods=["GET", "POST"])
@login_required
def suspend(user_id: int):
    target = _load_target_or_404(user_id)
    scopes = suspension_scopes(current_user, target)
    require(can_use_mod_tools(current_user) and bool(scopes))
    form = SuspendForm(association=scopes[0][0])
    form.association.choices = [SelectChoice(value, label) for value, label in scopes]
    if not form.validate_on_submit():
        return _suspend_page(target, form, 400 if request.method == "POST" else 200)
    days = None if form.permanent.data else form.days.data
    if days is None and not form.permanent.data:
        form.days.errors = [_("Enter a number of days, or choose a permanent suspension.")]
        return _suspend_page(target, form, 400)
    association = db.session.scalar(
        select(Association).where(Association.slug == form.association.data)
    )
    if association is None:
        require(can_suspend(current_user, target, days))
        service.suspend_user(current_user, target, days, form.reason.data)
        flash(_("%(name)s is suspended.", name=target.display_name), "info")
    elif not can_restrict(current_user, target, association.id, days):
        form.days.errors = [_("Moderators can suspend a member for at most 7 days.")]
        return _suspend_page(target, form, 400)
    else:
        service.restrict_user(current_user, target, association, days, form.reason.data)
        flash(
            _("%(name)s may not post in the categories of %(association)s for now.",
              name=target.display_name, association=association.name),
            "info",
        )  # fmt: skip
    return redirect(url_for("auth.profile", user_id=target.id))


@bp.post("/mod/u/<int:user_id>/unsuspend")
@login_required
def unsuspend(user_id: int):
    """Lift a board-wide suspension (admins) or a restriction in ``association``."""
    target = _load_target_or_404(user_id)
    scopes = [value for value, _label in suspension_scopes(current_user, target)]
    require(can_use_mod_tools(current_user) and bool(scopes))
    slug = request.form.get("association", scopes[0])
    if slug not in scopes:
        abort(403)
    if ConfirmForm().validate_on_submit():
        association = db.session.scalar(select(Association).where(Association.slug == slug))
        try:
            if association is None:
                service.unsuspend_user(current_user, target)
            else:
                service.lift_restriction(current_user, target, association)
            flash(_("The suspension is lifted."), "success")
        except service.ModerationError as error:
            flash(str(error), "error")
    return redirect(url_for("auth.profile", user_id=target.id))
