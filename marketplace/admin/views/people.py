"""Accounts and businesses: the lists of every account and every business, staff invitations, deactivation."""

from urllib.parse import urlencode, urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts import invitations
from marketplace.accounts import services as accounts
from marketplace.accounts.models import Role, User
from marketplace.accounts.passwords import min_length
from marketplace.accounts.queries import user_page
from marketplace.admin.forms import BusinessFilterForm, StaffForm, UserFilterForm
from marketplace.admin.views.blueprint import bp
from marketplace.authz import role_required
from marketplace.businesses.models import Verification
from marketplace.businesses.queries import business_page
from marketplace.domain import DomainError
from marketplace.errors import form_refusal
from marketplace.extensions import db
from marketplace.forms_common import as_integer
from marketplace.institutions.models import Institution


def _invite_url(token: str) -> str:
    return url_for("accounts.accept_invitation", token=token, _external=True)


def _page_link(number: int) -> str:
    """This list's address with the same filters on page number (query arguments appended, never given to url_for)."""
    args = [(name, value) for name, value in request.args.items(multi=True) if name != "page"]
    if number > 1:
        args.append(("page", str(number)))
    return f"{request.path}?{urlencode(args)}" if args else request.path


def _back_to_list(default: str) -> str:
    """Where a list's action returns: the list it was sent from (its `back` field, a path under /admin/), else default."""
    target = request.form.get("back", "")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/admin/") or "\\" in target or "//" in target:
        return default
    return target


@bp.route("/users")
@role_required(Role.ADMIN)
def users():
    form = UserFilterForm(request.args)
    role = form.value(form.role)
    page = user_page(q=form.query(), role=Role(role) if role else None,
                     region_code=form.value(form.region) or None, state=form.value(form.state) or None,
                     page=as_integer(request.args.get("page")) or 1)
    return render_template("admin/users.html", form=form, page=page, page_link=_page_link, here=request.full_path)


@bp.route("/businesses")
@role_required(Role.ADMIN)
def businesses():
    form = BusinessFilterForm(request.args)
    verification = form.value(form.verification)
    page = business_page(q=form.query(), region_code=form.value(form.region) or None,
                         verification=Verification(verification) if verification else None,
                         page=as_integer(request.args.get("page")) or 1)
    return render_template("admin/businesses.html", form=form, page=page, page_link=_page_link)


@bp.route("/staff/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_staff():
    form = StaffForm(institutions=db.session.scalars(db.select(Institution).order_by(Institution.name)).all())
    if form.validate_on_submit():
        role = Role(form.role.data)
        try:
            user = invitations.invite_staff(
                email=form.email.data, name=form.name.data, role=role, locale=form.locale.data,
                region_code=form.region.data if role in (Role.MODERATOR, Role.FIELD_OFFICER) else None,
                actor=current_user.user,
                invite_url=_invite_url,
                institution_id=as_integer(form.institution.data) if role is Role.INSTITUTION_STAFF else None)
        except DomainError as error:
            form_refusal(form.email, error)
        else:
            flash(_("Staff account created; %(email)s has been sent a link to choose a password.", email=user.email),
                  "success")
            return redirect(url_for("admin.index"))
    return render_template("admin/staff.html", form=form, min_length=min_length(Role.MODERATOR),
                           hours=current_app.config["STAFF_INVITATION_MAX_AGE"] // 3600)


@bp.route("/users/<int:user_id>/invitation", methods=["POST"])
@role_required(Role.ADMIN)
def resend_invitation(user_id: int):
    user = db.get_or_404(User, user_id)
    invitations.resend_invitation(user, actor=current_user.user, invite_url=_invite_url)
    flash(_("The invitation has been sent again to %(email)s; earlier links no longer work.", email=user.email),
          "success")
    return redirect(_back_to_list(url_for("admin.index")))


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@role_required(Role.ADMIN)
def deactivate_user(user_id: int):
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        abort(400)
    accounts.deactivate_user(user, actor=current_user.user)
    flash(_("Account deactivated; its sessions have ended."), "success")
    return redirect(_back_to_list(url_for("admin.index")))
