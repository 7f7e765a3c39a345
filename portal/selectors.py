"""Reads with the portal's visibility rules: who may see and act on an application."""

import hmac
import re
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from accounts.constants import Role
from accounts.models import Organisation, User
from accounts.selectors import organisations_where, user_has_role
from portal.constants import OPEN_STATUSES, REFUND_HOLDING_STATUSES, ApplicationStatus, Audience
from portal.exceptions import ApplicationNotFound
from portal.models import Application, Category, Enquiry, Payment, Refund, Service
from portal.search import services_ranked

STAFF_ROLES = (Role.DEPARTMENT_STAFF, Role.APPROVER)


def staff_departments(*, user: User) -> QuerySet[Organisation]:
    """Departments in which `user` handles services."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return organisations_where(user=user, roles=STAFF_ROLES)


def application_departments(application: Application) -> set[int]:
    return {
        application.service.department_id,
        *application.service.joint_departments.values_list("id", flat=True),
    }


def is_application_staff(*, user: User, application: Application) -> bool:
    """Staff of the lead or a joint department of the application's service (and only those)."""
    return bool(
        application_departments(application) & set(staff_departments(user=user).values_list("id", flat=True))
    )


def is_lead_staff(*, user: User, application: Application) -> bool:
    return staff_departments(user=user).filter(id=application.service.department_id).exists()


def application_for(*, user: User, reference: str) -> Application:
    """The application, if `user` is its applicant or staff of a department handling it.

    Anyone else is told it does not exist (a reference must not confirm that an application is there)."""
    application = (
        Application.objects.select_related("service", "service__department", "applicant", "decision_document")
        .filter(reference=reference)
        .first()
    )
    if application is None or not user.is_authenticated:
        raise ApplicationNotFound()
    if application.applicant_id == user.id:
        return application
    if application.status != "draft" and is_application_staff(user=user, application=application):
        return application
    raise ApplicationNotFound()


def decision_document_readable(*, user: User, reference: str) -> bool:
    """Who may download an application's decision letter (it carries the applicant's name, ID
    number, phone and address): the applicant, staff of a department handling it, a supervisor."""
    application = Application.objects.select_related("service").filter(reference=reference).first()
    if application is None or not user.is_authenticated:
        return False
    return (
        application.applicant_id == user.pk
        or is_application_staff(user=user, application=application)
        or user_has_role(user=user, role=Role.SUPERVISOR)
    )


def payment_refundable(payment: Payment) -> Decimal:
    """What is left to refund of `payment`: its amount less its requested and succeeded refunds."""
    held = payment.refunds.filter(status__in=REFUND_HOLDING_STATUSES).aggregate(s=Sum("amount"))["s"]
    return payment.amount - (held or Decimal("0"))


def refunds_of(*, application: Application | None = None, user: User | None = None) -> QuerySet[Refund]:
    """Refunds of one application, or of every application of `user` (their personal centre)."""
    qs = Refund.objects.select_related("payment", "payment__application", "payment__application__service")
    if application is not None:
        qs = qs.filter(payment__application=application)
    if user is not None:
        qs = qs.filter(payment__application__applicant=user)
    return qs


def applications_of(*, user: User) -> QuerySet[Application]:
    return Application.objects.filter(applicant=user).select_related("service")


def staff_queue(*, user: User) -> QuerySet[Application]:
    """Applications (not drafts) for services of the departments `user` works in."""
    departments = staff_departments(user=user)
    return (
        Application.objects.exclude(status="draft")
        .filter(Q(service__department__in=departments) | Q(service__joint_departments__in=departments))
        .select_related("service", "applicant")
        .distinct()
    )


def staff_queue_filtered(*, user: User, status: str) -> QuerySet[Application]:
    """The staff queue as its page filters it: "open" (the default), one status, or anything
    else for every status; in the order the page lists it (the export reads the same)."""
    queue = staff_queue(user=user)
    if status == "open":
        queue = queue.filter(status__in=OPEN_STATUSES)
    elif status in ApplicationStatus.values:
        queue = queue.filter(status=status)
    return queue.order_by("acceptance_due", "decision_due", "submitted_at")


def service_catalogue(
    *, query: str = "", audience: str = "", category: str = "", department: int | None = None
) -> list[Service]:
    """Published services matching the filters; with a query, those it finds, best first."""
    qs = Service.objects.filter(is_published=True).select_related("department").prefetch_related("categories")
    if audience in Audience.values:
        qs = qs.filter(audience=audience)
    if category:
        qs = qs.filter(categories__slug=category)
    if department:
        qs = qs.filter(Q(department_id=department) | Q(joint_departments__id=department))
    services = list(qs.distinct())
    if query:
        # Ranked by the search engine: a service need not hold every bigram of the query (docs/search.md).
        services = services_ranked(services, query)
    return services


def service_departments() -> QuerySet[Organisation]:
    """The organisations that lead or join a published service, whatever their kind (上海市教育局
    is a buyer that also runs school enrolment), for the catalogue's department filter."""
    return (
        Organisation.objects.filter(
            Q(services__is_published=True) | Q(joint_services__is_published=True)
        )
        .distinct()
        .order_by("name")
    )


def categories_by_kind() -> dict[str, list[Category]]:
    out: dict[str, list[Category]] = {}
    for category in Category.objects.all():
        out.setdefault(category.kind, []).append(category)
    return out


def _contact_key(contact: str) -> str:
    """A contact as compared: an e-mail address in lower case; a telephone number by its digits,
    without a leading +86 / 0086 (so "138 0013 8000" and "+86-13800138000" are the same)."""
    contact = contact.strip().lower()
    if "@" in contact:
        return contact
    digits = re.sub(r"\D", "", contact)
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            return digits[len(prefix) :]
    return digits


def enquiry_lookup(*, user: User, tracking_number: str, contact: str = "") -> Enquiry | None:
    """The enquiry with this tracking number, for its signed-in author or for whoever gives the
    contact (phone or e-mail) it was made with; None otherwise. A tracking number alone opens
    nothing, and a wrong contact looks exactly like a wrong number (neither is confirmed)."""
    enquiry = (
        Enquiry.objects.select_related("service", "department")
        .filter(tracking_number=tracking_number.strip().upper())
        .first()
    )
    if enquiry is None:
        return None
    if user.is_authenticated and enquiry.user_id == user.pk:
        return enquiry
    given, kept = _contact_key(contact), _contact_key(enquiry.contact)
    if given and kept and hmac.compare_digest(given.encode(), kept.encode()):
        return enquiry
    return None


def recommended_services(*, user: User, limit: int = 5) -> list[Service]:
    """From the profile (account kind, chosen life stage) and history (categories of services
    applied for or saved), services not yet used, best matches first."""
    audience = Audience.BUSINESS if user.account_kind == "enterprise" else Audience.CITIZEN
    used = set(Application.objects.filter(applicant=user).values_list("service_id", flat=True))
    used |= set(user.saved_services.values_list("service_id", flat=True))
    weights: dict[int, int] = {}
    for category_id in Category.objects.filter(services__id__in=used).values_list("id", flat=True):
        weights[category_id] = weights.get(category_id, 0) + 2
    preference = getattr(user, "display_preference", None)
    if preference is not None and preference.life_stage_id:
        weights[preference.life_stage_id] = weights.get(preference.life_stage_id, 0) + 3
    candidates = (
        Service.objects.filter(is_published=True, audience=audience)
        .exclude(id__in=used)
        .prefetch_related("categories")
    )
    ranked = sorted(
        candidates, key=lambda s: (-sum(weights.get(c.id, 0) for c in s.categories.all()), s.code)
    )
    return ranked[:limit]
