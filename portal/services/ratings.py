"""Service evaluation (好差评, 国办发〔2019〕51号): after an application is decided its applicant rates it
on five grades; a bad rating (不满意 / 非常不满意) must say why and is followed up by the lead
department within FOLLOW_UP_LIMIT working days, through the approvals engine: the flow
`portal-rating-follow-up` (one step for the department's staff, the engine's reminders and
escalation on its time limit). The department's answer is the step's comment; the applicant sees it
on the application page and is told by mail and text message.

Ratings per service and department: `rating_summary`, `ratings_by_department`."""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Model, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.constants import Role
from accounts.models import User
from approvals.constants import EventKind, HandlerKind, Outcome, StepMode
from approvals.models import ApprovalInstance, FlowDefinition
from approvals.registry import ApprovalSubject
from approvals.services import approval_approve, approval_submit, flow_definition_ensure
from config import clock
from config.exceptions import DomainError, NotAllowed
from ledger.encoding import jcs
from portal.citizen_models import BAD_GRADES, BadRatingReason, FollowUpStatus, Grade, ServiceRating
from portal.constants import ApplicationStatus
from portal.models import Application, Service
from workdays.calendar import add_working_days

FOLLOW_UP_FLOW = "portal-rating-follow-up"
FOLLOW_UP_LIMIT = 15  # working days to follow a bad rating up (rectify and answer)
RATEABLE = (ApplicationStatus.APPROVED, ApplicationStatus.REFUSED)


class RatingRefused(DomainError):
    code = "rating_refused"


class RatingFollowUpApproval(ApprovalSubject):
    """A bad rating as the subject of its follow-up."""

    def subject_data(self, obj: Any) -> dict[str, Any]:
        return {"department_id": obj.department_id, "service": obj.service.code, "grade": obj.grade}

    def state_hash(self, obj: Any) -> str:
        return hashlib.sha256(
            jcs({"grade": obj.grade, "reasons": obj.reasons, "comment": obj.comment})
        ).hexdigest()

    def title(self, obj: Any) -> str:
        return f"差评回访 {obj.application.reference} {obj.service.name}"

    def url(self, obj: Any) -> str:
        return reverse("portal:staff_rating", args=[obj.pk])

    def summary(self, obj: Any) -> str:
        return f"{obj.get_grade_display()}: {'、'.join(obj.reason_labels())}"

    def can_submit(self, user: Any, obj: Any) -> bool:
        return user.pk == obj.application.applicant_id

    def can_view(self, user: Any, obj: Any) -> bool:
        return is_rating_staff(user=user, rating=obj)

    def on_outcome(self, obj: Any, outcome: Outcome) -> None:
        if outcome not in (Outcome.APPROVED, Outcome.REJECTED):
            return  # withdrawn: nothing was answered
        # Approved: followed up and answered. Rejected (from the approvals page): the department
        # holds the rating unfounded and says why; either way the applicant reads its words.
        instance = ApprovalInstance.objects.filter(pk=obj.follow_up_flow_id).first()
        answered = (
            instance.events.filter(kind__in=[EventKind.APPROVED, EventKind.REJECTED]).order_by("-seq").first()
            if instance
            else None
        )
        rating = ServiceRating.objects.select_for_update().get(pk=obj.pk)
        rating.follow_up_status = FollowUpStatus.ANSWERED
        rating.follow_up_answer = answered.comment if answered else ""
        rating.followed_up_by = answered.actor if answered else None
        rating.followed_up_at = clock.now()
        rating.save(
            update_fields=["follow_up_status", "follow_up_answer", "followed_up_by", "followed_up_at"]
        )
        from portal.services.notifications import rating_answered_notify

        rating_answered_notify(rating)


def is_rating_staff(*, user: User, rating: ServiceRating) -> bool:
    from portal.selectors import staff_departments

    return user.is_authenticated and staff_departments(user=user).filter(pk=rating.department_id).exists()


def follow_up_flow() -> FlowDefinition:
    """The follow-up flow as the portal ships it (published on first use; administrators may make
    new versions, e.g. a second step for the supervising office)."""
    return flow_definition_ensure(
        code=FOLLOW_UP_FLOW,
        name="差评回访整改（主办部门）",
        description="The lead department follows a bad service rating up and answers the applicant.",
        steps=[
            {
                "key": "department",
                "name": "主办部门回访整改",
                "position": 1,
                "mode": StepMode.ANY_ONE,
                "handler_kind": HandlerKind.ROLE,
                "role": Role.DEPARTMENT_STAFF,
                "organisation_field": "department_id",
                "time_limit_working_days": FOLLOW_UP_LIMIT,
            }
        ],
    )


@transaction.atomic
def rating_submit(
    *, user: User, application: Application, grade: int, reasons: list[str], comment: str = ""
) -> ServiceRating:
    """Rate a decided application, once.

    Before: `user` is the applicant; the application is approved or refused and not yet rated; a bad
    grade names at least one reason (and "other" a comment). After: the rating is stored; a bad one
    starts its follow-up by the lead department, due in FOLLOW_UP_LIMIT working days."""
    application = Application.objects.select_for_update().select_related("service").get(pk=application.pk)
    if application.applicant_id != user.pk:
        raise RatingRefused(_("Only the applicant may rate this application."))
    if application.status not in RATEABLE:
        raise RatingRefused(_("An application can be rated once it is decided."))
    if ServiceRating.objects.filter(application=application).exists():
        raise RatingRefused(_("You have already rated this application."))
    if grade not in Grade.values:
        raise RatingRefused(_("Choose one of the five ratings."))
    reasons = [r for r in dict.fromkeys(reasons) if r in BadRatingReason.values]
    comment = comment.strip()
    bad = grade in BAD_GRADES
    if bad and not reasons:
        raise RatingRefused(
            _("Tell us why you are dissatisfied: choose at least one reason."), code="rating_reasons"
        )
    if bad and BadRatingReason.OTHER in reasons and not comment:
        raise RatingRefused(_("You chose “other”: describe what went wrong."), code="rating_comment")
    rating = ServiceRating.objects.create(
        application=application,
        service=application.service,
        department=application.service.department,
        grade=grade,
        reasons=reasons if bad else [],
        comment=comment,
        rated_at=clock.now(),
        follow_up_status=FollowUpStatus.OPEN if bad else FollowUpStatus.NONE,
        follow_up_due=add_working_days(clock.today_local(), FOLLOW_UP_LIMIT) if bad else None,
    )
    if bad:
        follow_up_flow()
        instance = approval_submit(
            subject=rating, flow_code=FOLLOW_UP_FLOW, submitter=user, comment="差评 / bad rating"
        )
        rating.follow_up_flow_id = instance.pk
        rating.save(update_fields=["follow_up_flow_id"])
    return rating


@transaction.atomic
def rating_follow_up_answer(*, user: User, rating: ServiceRating, answer: str) -> ServiceRating:
    """The department answers a bad rating: what it found and what it changed.

    Before: `user` is staff of the rating's department; the follow-up is open; an answer is given.
    After: the follow-up step approved with the answer as its comment; the rating answered; the
    applicant told (see `RatingFollowUpApproval.on_outcome`)."""
    rating = ServiceRating.objects.select_for_update().get(pk=rating.pk)
    if not is_rating_staff(user=user, rating=rating):
        raise NotAllowed(_("Only staff of the department may answer this rating."))
    if rating.follow_up_status != FollowUpStatus.OPEN or not rating.follow_up_flow_id:
        raise RatingRefused(_("This rating has no open follow-up."))
    answer = answer.strip()
    if not answer:
        raise RatingRefused(_("Write the answer: what you found and what the department changed."))
    approval_approve(instance_id=rating.follow_up_flow_id, user=user, comment=answer)
    rating.refresh_from_db()
    return rating


# ---------------------------------------------------------------- statistics


@dataclass(frozen=True)
class RatingSummary:
    total: int
    by_grade: list[tuple[str, int]]  # (label, count) from very satisfied down
    satisfied: int  # very satisfied + satisfied + fairly satisfied
    bad: int
    answered: int  # bad ratings followed up

    @property
    def satisfaction_percent(self) -> str:
        return f"{100 * self.satisfied / self.total:.1f}" if self.total else "—"


def _summary(ratings: QuerySet[ServiceRating]) -> RatingSummary:
    counts = dict(ratings.values("grade").annotate(n=Count("id")).values_list("grade", "n"))
    total = sum(counts.values())
    bad = sum(counts.get(g, 0) for g in BAD_GRADES)
    return RatingSummary(
        total=total,
        by_grade=[(str(label), counts.get(value, 0)) for value, label in reversed(Grade.choices)],
        satisfied=total - bad,
        bad=bad,
        answered=ratings.filter(follow_up_status=FollowUpStatus.ANSWERED).count(),
    )


def rating_summary(*, service: Service) -> RatingSummary:
    return _summary(ServiceRating.objects.filter(service=service))


def ratings_by_department() -> list[tuple[Model, RatingSummary]]:
    from accounts.models import Organisation

    departments = Organisation.objects.filter(pk__in=ServiceRating.objects.values("department_id")).order_by(
        "name"
    )
    return [(d, _summary(ServiceRating.objects.filter(department=d))) for d in departments]


def follow_ups_open_for(*, user: User) -> QuerySet[ServiceRating]:
    from portal.selectors import staff_departments

    return (
        ServiceRating.objects.filter(
            Q(department__in=staff_departments(user=user)), follow_up_status=FollowUpStatus.OPEN
        )
        .select_related("application", "service")
        .order_by("follow_up_due")
    )


GRADE_HELP = gettext_lazy("Dissatisfied or very dissatisfied: tell us why, and the department follows it up.")
