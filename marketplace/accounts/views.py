"""Register, log in and out, reset and change the password, edit the profile."""

from urllib.parse import urlsplit

from flask import Blueprint, after_this_request, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from limits import parse

from marketplace.accounts import invitations, services, signup
from marketplace.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from marketplace.accounts.models import Role, User
from marketplace.accounts.passwords import WeakPassword
from marketplace.accounts.sessions import log_out, start_session
from marketplace.audit import record
from marketplace.errors import form_refusal
from marketplace.extensions import db, limiter
from marketplace.forms_common import Form
from marketplace.unit_of_work import rollback, unit_of_work

bp = Blueprint("accounts", __name__)

HOME_BY_ROLE = {Role.ADMIN: "admin.index", Role.MODERATOR: "moderation.index", Role.INSTITUTION_STAFF: "institutions.queue",
                Role.OFFICE_COORDINATOR: "belabeli.office_home",
                Role.FIELD_OFFICER: "fieldofficers.index", Role.CIVIL_SERVANT: "belabeli.my_purchases"}


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _reset_limit() -> str:
    return current_app.config["RESET_RATE_LIMIT"]


def _signup_limit() -> str:
    return current_app.config["SIGNUP_RATE_LIMIT"]


def _audit_blocked_login(request_limit) -> None:
    """Failed logins over the limit: one audit entry per client address and account per window of the limit (the
    typed email is kept only when it is an account's, so a password typed into it never is)."""
    user = services.find_user_by_email(request.form.get("email", ""))
    once = parse(f"1 per {request_limit.limit.get_expiry()} seconds")
    if user is None or not limiter.limiter.hit(once, "login-blocked-audit", request_limit.key, str(user.id)):
        return
    user_id, reason = user.id, f"{request_limit.limit} exceeded by {request.remote_addr}"

    @after_this_request
    def audit(response):
        # The limit refuses the request inside the view's unit of work, which rolls back: the entry is a unit of its own.
        with unit_of_work():
            blocked = db.session.get(User, user_id)
            record(None, "user.login_blocked", blocked, region_code=blocked.region_code, label=blocked.email,
                   reason=reason)
        return response


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site, never another host (open redirect). A control character (a CR/LF would end the
    Location header: a 500) or a backslash (browsers read `/\\host` as `//host`) makes it no target at all."""
    if not target or any(ord(c) < 32 or ord(c) == 127 or c == "\\" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _home_for(role: Role) -> str:
    return url_for(HOME_BY_ROLE.get(role, "accounts.dashboard"))


@bp.route("/auth/register", methods=["GET", "POST"])
@limiter.limit(_signup_limit, methods=["POST"], deduct_when=lambda response: response.status_code == 302)
def register():
    if current_user.is_authenticated:
        return redirect(_home_for(current_user.role))
    form = RegistrationForm()
    if form.validate_on_submit():
        links = signup.SignUpLinks(
            confirm=lambda token: url_for("accounts.confirm_sign_up", token=token, _external=True),
            login=url_for("accounts.login", _external=True), reset=url_for("accounts.reset_request", _external=True))
        try:
            signup.request_sign_up(
                email=form.email.data, password=form.password.data, name=form.name.data,
                role=Role(form.role.data), region_code=form.region.data,
                phone=getattr(form.phone, "normalised", None), locale=str(get_locale() or "id"), links=links,
            )
        except WeakPassword as error:
            form_refusal(form.password, error)
        except services.AccountError as error:
            form_refusal(form.region, error)
        else:
            # the same answer whether the address is new or has an account: the mail tells which (no enumeration)
            return redirect(url_for("accounts.sign_up_sent"))
    return render_template("accounts/register.html", form=form)


@bp.route("/auth/register/sent")
def sign_up_sent():
    return render_template("accounts/sign_up_sent.html",
                           hours=max(1, current_app.config["SIGNUP_CONFIRM_MAX_AGE"] // 3600))


@bp.route("/auth/register/<token>", methods=["GET", "POST"])
def confirm_sign_up(token: str):
    """The emailed link: a page with one button (a mail scanner that follows links creates nothing), which creates
    the account and logs it in."""
    pending = signup.pending_sign_up(token)
    if pending is None:
        flash(_("This activation link is invalid or has expired. Register again to get a new one."), "error")
        return redirect(url_for("accounts.register"))
    form = Form()
    if form.validate_on_submit():
        try:
            user = signup.confirm_sign_up(pending)
        except services.EmailTaken:
            rollback()  # a lost race leaves the failed INSERT behind
            flash(_("This address already has an account. Log in, or choose a new password if you forgot it."), "info")
            return redirect(url_for("accounts.login"))
        start_session(user)
        flash(_("Welcome, %(name)s! Your account is ready.", name=user.name), "success")
        return redirect(_home_for(user.role))
    return render_template("accounts/confirm_sign_up.html", form=form, pending=pending, role=Role(pending.role))


@bp.route("/auth/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=lambda response: response.status_code != 302,
               on_breach=_audit_blocked_login)
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
    log_out()  # the session's row goes with the request's commit: a copied cookie ends with it
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
    form = ResetPasswordForm(account=user)
    if form.validate_on_submit():
        services.set_password(user, form.password.data, by_reset=True)
        log_out()
        flash(_("Your password has been changed. Log in with the new password."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/auth/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """A staff invitation's link: choose the first password (staff policy), then the account is logged in."""
    user = invitations.user_for_invitation_token(token)
    if user is None:
        flash(_("This invitation link is invalid, expired or already used. Ask an administrator to send the "
                "invitation again."), "error")
        return redirect(url_for("accounts.login"))
    form = ResetPasswordForm(account=user)
    if form.validate_on_submit():
        invitations.accept_invitation(user, form.password.data)
        log_out()  # whoever was logged in in this browser
        start_session(user)
        flash(_("Welcome, %(name)s! Your password is set.", name=user.name), "success")
        return redirect(_home_for(user.role))
    return render_template("accounts/accept_invitation.html", form=form, invited=user)


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
    form = ChangePasswordForm(account=current_user.user)
    if form.validate_on_submit():
        if not services.verify_password(current_user.user, form.current_password.data):
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            services.set_password(current_user.user, form.password.data, keep_session=current_user.session_row)
            flash(_("Your password has been changed. Other devices have been logged out."), "success")
            return redirect(url_for("accounts.dashboard"))
    return render_template("accounts/change_password.html", form=form)
