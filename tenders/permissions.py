"""Who may act on a tender: the officers of its buyer or agency."""

from typing import Any

from accounts.constants import Role
from accounts.selectors import organisations_where, user_has_role


def officer_organisation_ids(user: Any) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(organisations_where(user=user, roles=[Role.PROCUREMENT_OFFICER]).values_list("id", flat=True))


def is_tender_officer(*, user: Any, tender: Any) -> bool:
    orgs = officer_organisation_ids(user)
    return tender.buyer_id in orgs or (tender.agency_id is not None and tender.agency_id in orgs)


def is_supplier_user(*, user: Any) -> bool:
    return bool(user.is_authenticated) and (
        user_has_role(user=user, role=Role.SUPPLIER_ADMIN)
        or user_has_role(user=user, role=Role.SUPPLIER_STAFF)
    )
