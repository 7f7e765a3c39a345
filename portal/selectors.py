"""Reads with the portal's visibility rules: who may see and act on an application."""

from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from accounts.constants import Role
from accounts.models import Organisation, User
from accounts.selectors import organisations_where
from portal.constants import REFUND_HOLDING_STATUSES, Audience
from portal.exceptions import ApplicationNotFound
from portal.models import Application, Category, Enquiry, Payment, Refund, Service
from portal.search import bigram_filter, index_text, score

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


def service_catalogue(
    *, query: str = "", audience: str = "", category: str = "", department: int | None = None
) -> list[Service]:
    """Published services matching the filters; with a query, ordered by how many of its words match."""
    qs = Service.objects.filter(is_published=True).select_related("department").prefetch_related("categories")
    if audience in Audience.values:
        qs = qs.filter(audience=audience)
    if category:
        qs = qs.filter(categories__slug=category)
    if department:
        qs = qs.filter(Q(department_id=department) | Q(joint_departments__id=department))
    if query:
        condition = bigram_filter("search_text", query)
        if condition is not None:
            qs = qs.filter(condition)
    services = list(qs.distinct())
    if query:
        services.sort(key=lambda s: (-_relevance(query, s), s.code))
    return services


def _relevance(query: str, service: Service) -> int:
    """A match in the name counts most, then the keywords, then anything indexed."""
    return (
        3 * score(query, index_text(service.name, service.name_en))
        + 2 * score(query, index_text(service.keywords))
        + score(query, service.search_text)
    )


def categories_by_kind() -> dict[str, list[Category]]:
    out: dict[str, list[Category]] = {}
    for category in Category.objects.all():
        out.setdefault(category.kind, []).append(category)
    return out


def enquiry_by_number(*, tracking_number: str) -> Enquiry | None:
    return (
        Enquiry.objects.select_related("service", "department")
        .filter(tracking_number=tracking_number.strip().upper())
        .first()
    )


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

