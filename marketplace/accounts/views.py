"""Register, log in and out, reset and change the password, edit the profile."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from marketplace.accounts import services
from marketplace.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from marketplace.accounts.models import Role
from marketplace.accounts.sessions import start_session
from marketplace.errors import form_refusal
from marketplace.extensions import db, limiter

bp = Blueprint("accounts", __name__)

HOME_BY_ROLE = {Role.ADMIN: "admin.index", Role.MODERATOR: "moderation.index"}


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _reset_limit() -> str:
    return current_app.config["RESET_RATE_LIMIT"]


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site, never another host (open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _home_for(role: Role) -> str:
    return url_for(HOME_BY_ROLE.get(role, "accounts.dashboard"))


@bp.route("/auth/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(_home_for(current_user.role))
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                email=form.email.data, password=form.password.data, name=form.name.data,
                role=Role(form.role.data), region_code=form.region.data,
                phone=getattr(form.phone, "normalised", None), locale=str(get_locale() or "id"),
            )
        except services.AccountError as error:
            form_refusal(form.email, error)
        else:
            start_session(user)
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.name), "success")
            return redirect(_home_for(user.role))
    return render_template("accounts/register.html", form=form)


@bp.route("/auth/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=lambda response: response.status_code != 302)
def login():
    if current_user.is_authenticated:
        return redirect(_home_for(current_user.role))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            flash(_("Wrong email or password."), "error")
        else:
            start_session(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")) or _home_for(user.role))
    return render_template("accounts/login.html", form=form)


@bp.route("/auth/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        db.session.delete(current_user.session_row)  # committed with the request: a copied cookie ends with it
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/auth/reset", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.send_password_reset(
            form.email.data, lambda token: url_for("accounts.reset_password", token=token, _external=True))
        flash(_("If an account exists for that address, we have sent it a link to choose a new password."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/auth/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = services.user_for_reset_token(token)
    if user is None:
        flash(_("This reset link is invalid, expired or already used. Ask for a new one."), "error")
        return redirect(url_for("accounts.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        logout_user()
        flash(_("Your password has been changed. Log in with the new password."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/my/")
@login_required
def dashboard():
    return render_template("accounts/dashboard.html")


@bp.route("/my/profile", methods=["GET", "POST"])
@login_required
def profile():
    user = current_user.user
    form = ProfileForm(data={"name": user.name, "phone": user.phone, "region": user.region_code, "locale": user.locale})
    if form.validate_on_submit():
        services.update_profile(
            user, name=form.name.data, phone=getattr(form.phone, "normalised", None),
            region_code=form.region.data or None, locale=form.locale.data,
        )
        session["lang"] = form.locale.data
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form)


@bp.route("/my/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not services.verify_password(current_user.user, form.current_password.data):
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            services.set_password(current_user.user, form.password.data, keep_session=current_user.session_row)
            flash(_("Your password has been changed. Other devices have been logged out."), "success")
            return redirect(url_for("accounts.dashboard"))
    return render_template("accounts/change_password.html", form=form)
