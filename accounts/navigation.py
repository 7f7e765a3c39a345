"""The service navigation every page shows: public sections for everyone, and the sections a
signed-in person's roles give them (their tasks, bids, keys...). One place decides who sees what."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from accounts.selectors import user_roles

# (label, url name, roles that see it; None = everyone, "signed-in" = any signed-in person)
_SECTIONS = [
    (_("Home"), "home", None),
    (_("Procurement notices"), "notices:index", None),
    (_("Government services"), "portal:catalogue", None),
    (_("Public ledger"), "ledger:overview", None),
    (_("Supplier lookup"), "suppliers:lookup", None),
    (
        _("My tasks"),
        "approvals:inbox",
        {
            Role.APPROVER,
            Role.PROCUREMENT_OFFICER,
            Role.SUPERVISOR,
            Role.DEPARTMENT_STAFF,
            Role.PLATFORM_ADMIN,
        },
    ),
    (_("Tenders"), "tenders:list", {Role.PROCUREMENT_OFFICER, Role.SUPERVISOR}),
    (
        _("Supplier verification"),
        "suppliers:verification_queue",
        {Role.PROCUREMENT_OFFICER, Role.PLATFORM_ADMIN},
    ),
    (_("My bids"), "bidding:mine", {Role.SUPPLIER_ADMIN, Role.SUPPLIER_STAFF}),
    (_("Enterprise profile"), "suppliers:profile", {Role.SUPPLIER_ADMIN, Role.SUPPLIER_STAFF}),
    (_("Opening keys"), "suppliers:custodian_keys", {Role.KEY_CUSTODIAN}),
    (
        _("Evaluation"),
        "evaluation:overview",
        {Role.EVALUATION_EXPERT, Role.SUPERVISOR, Role.PROCUREMENT_OFFICER},
    ),
    (_("Legal calendar"), "workdays:years", {Role.PLATFORM_ADMIN}),
    (_("Audit log"), "accounts:audit", {Role.SUPERVISOR, Role.PLATFORM_ADMIN}),
    (_("Personal centre"), "portal:my", "signed-in"),
]


def service_navigation(request: HttpRequest) -> dict[str, list[dict[str, object]]]:
    """`nav_items` for base.html: label, url and whether it is the current section."""
    user = getattr(request, "user", None)  # absent when a page renders before the auth middleware ran
    signed_in = bool(user and user.is_authenticated)
    roles = user_roles(user=user) if user is not None and signed_in else set()
    items: list[dict[str, object]] = []
    for label, url_name, audience in _SECTIONS:
        if audience == "signed-in" and not signed_in:
            continue
        if isinstance(audience, set) and not roles & audience:
            continue
        url = reverse(url_name)
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    return {"nav_items": items}
