"""Accounts: registering people, granting roles and API tokens (throttling: accounts/throttling.py)."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token

from accounts.constants import AccountKind, OrganisationKind, Role
from accounts.models import Membership, Organisation, User
from config.exceptions import DomainError


@transaction.atomic
def user_register(
    *, username: str, password: str, full_name: str, email: str, phone: str = "", account_kind: str
) -> User:
    """Self-registration of a citizen or an enterprise's staff member.

    Before: the username is free and the password passes the validators.
    After: an active user with no organisation role yet (enterprise users then register their
    enterprise or are added by its administrator in `suppliers/`)."""
    if account_kind not in (AccountKind.CITIZEN, AccountKind.ENTERPRISE):
        raise DomainError(_("Only citizen and enterprise accounts can be registered online."))
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("This username is already taken."), code="username_taken")
    user = User(username=username, full_name=full_name, email=email, phone=phone, account_kind=account_kind)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="weak_password") from exc
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def membership_grant(*, user: User, organisation: Organisation, role: Role | str) -> Membership:
    """Give `user` the `role` in `organisation` (idempotent; reactivates a revoked one)."""
    allowed = _ROLES_BY_KIND.get(organisation.kind, set())
    if role not in allowed:
        raise DomainError(
            _("The role %(role)s does not exist in an organisation of this kind.")
            % {"role": Role(role).label}
        )
    membership, _created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    return membership


_STAFF_ROLES: set[str] = {Role.PROCUREMENT_OFFICER, Role.APPROVER, Role.SUPERVISOR, Role.KEY_CUSTODIAN}
_ROLES_BY_KIND: dict[str, set[str]] = {
    OrganisationKind.BUYER: _STAFF_ROLES,
    OrganisationKind.AGENCY: _STAFF_ROLES | {Role.EVALUATION_EXPERT},
    OrganisationKind.SUPPLIER: {Role.SUPPLIER_ADMIN, Role.SUPPLIER_STAFF},
    OrganisationKind.DEPARTMENT: {Role.DEPARTMENT_STAFF, Role.APPROVER, Role.SUPERVISOR, Role.KEY_CUSTODIAN},
    OrganisationKind.REGULATOR: {Role.SUPERVISOR, Role.APPROVER, Role.EVALUATION_EXPERT, Role.KEY_CUSTODIAN},
    OrganisationKind.PLATFORM: {Role.PLATFORM_ADMIN, Role.CITIZEN},
}


def api_token_issue(*, user: User) -> Token:
    """The user's API token (one per user; made on first request)."""
    token, _created = Token.objects.get_or_create(user=user)
    return token


def api_token_rotate(*, user: User) -> Token:
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)
