"""Account settings pages and the login's second step: HTTP only, the work is in
``account`` and ``two_factor``."""

from __future__ import annotations

import time

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from board.auth import account, bp, service, two_factor
from board.auth.forms import (
    DeleteAccountForm,
    EmailChangeForm,
    PasswordChangeForm,
    TwoFactorCodeForm,
    TwoFactorDisableForm,
    TwoFactorEnableForm,
)
from board.extensions import db, limiter
from board.models import User

PENDING = "two_step_pending"
SETUP = "two_step_setup_secret"
PENDING_MAX_AGE = 600  # seconds between the password and the code


def _refused(template: str, **context):
    return render_template(template, **context), 400


def _form_status() -> int:
    return 400 if request.method == "POST" else 200


# Password and e-mail ----------------------------------------------------------------------


@bp.route("/settings/password", methods=["GET", "POST"])
@login_required
@limiter.limit("10/hour", methods=["POST"])
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit() and not account.check_password(
        current_user, form.current_password.data
    ):
        form.current_password.errors.append(_("This is not your current password."))
    elif form.validate_on_submit():
        account.change_password(current_user, form.password.data)
        login_user(current_user._get_current_object())  # this session stays signed in
        flash(_("Your password is changed."), "success")
        return redirect(url_for("auth.settings"))
    return render_template("auth/password.html", form=form), _form_status()


@bp.route("/settings/email", methods=["GET", "POST"])
@login_required
@limiter.limit("5/hour", methods=["POST"])
def change_email():
    form = EmailChangeForm()
    if not form.validate_on_submit():
        return render_template("auth/email.html", form=form), _form_status()
    if not account.check_password(current_user, form.current_password.data):
        form.current_password.errors.append(_("This is not your current password."))
        return _refused("auth/email.html", form=form)
    try:
        account.request_email_change(current_user, form.email.data)
    except account.AccountError as error:
        form.email.errors.append(str(error))
        return _refused("auth/email.html", form=form)
    return render_template("auth/check_mail.html", email=form.email.data, email_change=True)


@bp.get("/settings/email/<token>")
def confirm_email_change(token: str):
    try:
        account.confirm_email_change(token)
    except service.TokenError:
        return render_template("auth/link_invalid.html", kind="email"), 400
    flash(_("Your e-mail address is changed."), "success")
    return redirect(url_for("auth.settings") if current_user.is_authenticated else "/")


# Export and deletion ----------------------------------------------------------------------


@bp.post("/settings/export")
@login_required
@limiter.limit("10/hour")
def export():
    archive = account.export_data(current_user)
    return send_file(
        archive,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"mreza-{current_user.id}.zip",
    )


@bp.route("/settings/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return render_template("auth/delete.html", form=form), _form_status()
    if not account.check_password(current_user, form.current_password.data):
        form.current_password.errors.append(_("This is not your current password."))
        return _refused("auth/delete.html", form=form)
    user = current_user._get_current_object()
    logout_user()
    account.delete_account(user, remove_posts=form.posts.data == "remove")
    flash(_("Your account is deleted. Thank you for taking part."), "info")
    return redirect("/")


# Two-step login: setting it up --------------------------------------------------------------


@bp.route("/settings/2fa", methods=["GET", "POST"])
@login_required
@limiter.limit("20/hour", methods=["POST"])
def two_factor_settings():
    if current_user.has_two_factor:
        return render_template(
            "auth/two_factor.html",
            disable_form=TwoFactorDisableForm(),
            unused=two_factor.unused_codes(current_user),
        )
    secret = session.get(SETUP) or two_factor.new_secret()
    session[SETUP] = secret
    form = TwoFactorEnableForm()
    codes = None
    if form.validate_on_submit():
        codes = two_factor.enable(current_user, secret, form.code.data)
        if codes is None:
            form.code.errors.append(_("That code is not right. Check the time on your phone."))
    if codes is None:
        uri = two_factor.provisioning_uri(current_user, secret)
        return render_template(
            "auth/two_factor_setup.html",
            form=form,
            secret=secret,
            grouped=two_factor.group_secret(secret),
            qr=two_factor.qr_svg(uri),
        ), _form_status()
    session.pop(SETUP, None)
    flash(_("Two-step login is on."), "success")
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.post("/settings/2fa/codes")
@login_required
def two_factor_new_codes():
    if not current_user.has_two_factor:
        return redirect(url_for("auth.two_factor_settings"))
    codes = two_factor.regenerate_codes(current_user)
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.post("/settings/2fa/disable")
@login_required
def two_factor_disable():
    form = TwoFactorDisableForm()
    if not current_user.has_two_factor:
        return redirect(url_for("auth.two_factor_settings"))
    if form.validate_on_submit() and two_factor.required_for(current_user):
        form.current_password.errors.append(_("The board requires two-step login for you."))
    elif form.validate_on_submit() and account.check_password(
        current_user, form.current_password.data
    ):
        two_factor.disable(current_user)
        flash(_("Two-step login is off."), "info")
        return redirect(url_for("auth.two_factor_settings"))
    elif form.validate_on_submit():
        form.current_password.errors.append(_("This is not your current password."))
    return _refused(
        "auth/two_factor.html",
        disable_form=form,
        unused=two_factor.unused_codes(current_user),
    )


# Two-step login: the second step -------------------------------------------------------------


def start_second_step(user: User, remember: bool, next_url: str):
    """After the right password: remember who is half-way in, and ask for the code."""
    session[PENDING] = {"uid": user.id, "remember": remember, "next": next_url, "at": time.time()}
    return redirect(url_for("auth.login_code"))


def _pending_user() -> tuple[User | None, dict]:
    pending = session.get(PENDING) or {}
    if not pending or time.time() - float(pending.get("at", 0)) > PENDING_MAX_AGE:
        return None, {}
    return db.session.get(User, int(pending.get("uid", 0))), pending


def _pending_key() -> str:
    """Limit guesses per account, not only per address: the session cookie could be
    replayed from many addresses."""
    return f"login-code:{(session.get(PENDING) or {}).get('uid', request.remote_addr)}"


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
@limiter.limit("10 per 10 minutes", methods=["POST"], key_func=_pending_key)
def login_code():
    user, pending = _pending_user()
    if user is None or not user.has_two_factor:
        session.pop(PENDING, None)
        flash(_("Log in again, please: the time for the code ran out."), "info")
        return redirect(url_for("auth.login"))
    form = TwoFactorCodeForm()
    if form.validate_on_submit() and two_factor.verify(user, form.code.data):
        session.pop(PENDING, None)
        login_user(user, remember=bool(pending.get("remember")))
        return redirect(pending.get("next") or "/")
    if form.validate_on_submit():
        form.code.errors.append(_("That code is not right, or it was already used."))
    return render_template("auth/login_code.html", form=form), _form_status()


# Required for staff --------------------------------------------------------------------------

_OPEN_WHILE_SETTING_UP = {
    "auth.two_factor_settings",
    "auth.logout",
    "auth.set_language",
    "static",
}


@bp.before_app_request
def require_two_factor_for_staff():
    """Admins and moderators without two-step login go to its setup first, when the
    board requires it (``TWO_FACTOR_REQUIRED_FOR_STAFF``)."""
    if not current_app.config.get("TWO_FACTOR_REQUIRED_FOR_STAFF"):
        return None
    if not current_user.is_authenticated or current_user.has_two_factor:
        return None
    if request.endpoint in _OPEN_WHILE_SETTING_UP or not two_factor.required_for(current_user):
        return None
    flash(_("Set up two-step login to continue: the board requires it for your role."), "info")
    return redirect(url_for("auth.two_factor_settings"))
