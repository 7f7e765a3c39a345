"""Who holds which role where: the permission questions every app asks."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from accounts.constants import Role
from accounts.models import Membership, Organisation, User


def memberships_of(*, user: User) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user, is_active=True).select_related("organisation")


def user_has_role(*, user: User, role: Role | str, organisation: Organisation | int | None = None) -> bool:
    """True when the user actively holds `role` (in `organisation`, when given)."""
    qs = memberships_of(user=user).filter(role=role)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.exists()


def user_is_platform_admin(*, user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user_has_role(user=user, role=Role.PLATFORM_ADMIN))


def user_roles(*, user: User) -> set[str]:
    return set(memberships_of(user=user).values_list("role", flat=True))


def organisations_where(*, user: User, roles: Iterable[Role | str]) -> QuerySet[Organisation]:
    """Organisations in which the user holds any of `roles`."""
    return Organisation.objects.filter(
        memberships__user=user, memberships__is_active=True, memberships__role__in=list(roles)
    ).distinct()


def members_with_role(*, organisation: Organisation | int, role: Role | str) -> QuerySet[User]:
    return User.objects.filter(
        memberships__organisation=organisation,
        memberships__role=role,
        memberships__is_active=True,
        is_active=True,
    ).distinct()


def administrator_emails() -> list[str]:
    """Where platform alerts go: active superusers and platform administrators with an address."""
    administrators = User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(memberships__role=Role.PLATFORM_ADMIN)
    )
    return sorted({u.email for u in administrators if u.email})
