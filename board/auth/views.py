"""Account pages: HTTP only, the work is in ``service``."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from board.auth import bp, service
from board.auth.forms import LoginForm, ProfileForm, RegisterForm, ResetForm, ResetRequestForm
from board.extensions import db, limiter
from board.i18n import COOKIE, SCRIPT_COOKIE, SCRIPTS


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Follow ``next=`` only to a path on this site, never to another host."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return fallback
    return target


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10/hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect("/")
    form = RegisterForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/register.html", form=form), status
    service.register(
        form.email.data,
        form.display_name.data,
        form.password.data,
        function=form.function.data,
        municipality=(form.municipality.data or "").strip(),
        mz=(form.mz.data or "").strip(),
    )
    return render_template("auth/check_mail.html", email=form.email.data)


@bp.get("/confirm/<token>")
def confirm(token: str):
    try:
        user = service.confirm(token)
    except service.TokenError:
        return render_template("auth/link_invalid.html", kind="confirm"), 400
    flash(_("Your e-mail address is confirmed. Welcome!"), "success")
    if not current_user.is_authenticated:
        login_user(user)
    return redirect("/")


@bp.post("/confirm/resend")
@login_required
@limiter.limit("5/hour")
def resend_confirmation():
    if not current_user.is_confirmed:
        service.send_confirmation(current_user)
    flash(_("We sent a new confirmation link to %(email)s.", email=current_user.email), "info")
    return redirect(safe_next(request.form.get("next")))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20/minute", methods=["POST"])
def login():
    form = LoginForm()
    next_url = safe_next(request.args.get("next") or request.form.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url)
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/login.html", form=form, next=next_url), status
    user = service.authenticate(form.email.data, form.password.data)
    if user is None:
        form.password.errors.append(_("The e-mail address or password is not right."))
        return render_template("auth/login.html", form=form, next=next_url), 400
    login_user(user, remember=form.remember.data)
    return redirect(next_url)


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect("/")


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("5/hour", methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/reset_request.html", form=form), status
    service.request_reset(form.email.data)
    return render_template("auth/check_mail.html", email=form.email.data, reset=True)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    try:
        user = service.user_for_reset(token)
    except service.TokenError:
        return render_template("auth/link_invalid.html", kind="reset"), 400
    form = ResetForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/reset.html", form=form), status
    service.reset_password(user, form.password.data)
    flash(_("Your password is changed. You can log in with it now."), "success")
    logout_user()
    return redirect(url_for("auth.login"))


@bp.post("/language")
def set_language():
    locale = request.form.get("locale") or None
    script = request.form.get("script") or None
    if (locale is None and script is None) or (
        locale is not None and locale not in current_app.config["LANGUAGES"]
    ):
        return render_template(
            "errors/error.html", code=400, title=_("Bad request"), message=_("Unknown language.")
        ), 400
    if script is not None and script not in SCRIPTS:
        return render_template(
            "errors/error.html", code=400, title=_("Bad request"), message=_("Unknown script.")
        ), 400
    if current_user.is_authenticated:
        service.set_locale(current_user, locale, script)
    response = make_response(redirect(safe_next(request.form.get("next"))))
    for name, value in ((COOKIE, locale), (SCRIPT_COOKIE, script)):
        if value is not None:
            response.set_cookie(name, value, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


@bp.get("/u/<int:user_id>")
def profile(user_id: int):
    from board.models import User

    user = db.get_or_404(User, user_id)
    return render_template("auth/profile.html", profile=user)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = ProfileForm(obj=current_user)
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/settings.html", form=form), status
    service.update_profile(
        current_user,
        display_name=form.display_name.data,
        function=form.function.data,
        municipality=form.municipality.data or "",
        mz=form.mz.data or "",
    )
    flash(_("Your profile is saved."), "success")
    return redirect(url_for("auth.settings"))
