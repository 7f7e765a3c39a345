"""Reminders and escalations of the award time limits: the buyer's officers are reminded a working
day before a limit (and on its last day), the supervisors are told once it is passed. The decision's
own approval step is reminded and escalated by the approvals engine (its due date is the legal
limit); this covers the limits no approval step carries: publishing the candidates, deciding at
all, and publishing the result."""

from datetime import date

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext

from accounts.constants import Role
from accounts.models import User
from accounts.selectors import members_with_role
from awards.deadlines import award_deadlines
from awards.models import DeadlineAlert
from config import clock
from tenders.constants import TenderStatus
from tenders.models import Tender
from workdays import calendar

REMIND_WORKING_DAYS_BEFORE = 1


def _officers(tender: Tender) -> list[User]:
    people = list(members_with_role(organisation=tender.buyer_id, role=Role.PROCUREMENT_OFFICER))
    if tender.agency_id:
        people += list(members_with_role(organisation=tender.agency_id, role=Role.PROCUREMENT_OFFICER))
    return people


def _supervisors(tender: Tender) -> list[User]:
    people = list(members_with_role(organisation=tender.buyer, role=Role.SUPERVISOR))
    if people:
        return people
    return list(
        User.objects.filter(
            memberships__role=Role.SUPERVISOR, memberships__is_active=True, is_active=True
        ).distinct()
    )


def _send(tender: Tender, limit: str, stage: str, people: list[User], subject: str, body: str) -> bool:
    try:
        with transaction.atomic():
            DeadlineAlert.objects.create(tender=tender, limit=limit, stage=stage, sent_at=clock.now())
    except IntegrityError:
        return False  # sent by an earlier run
    recipients = [p.email for p in people if p.email]
    if recipients:
        transaction.on_commit(lambda: send_mail(subject, body, None, recipients))
    return True


def award_deadlines_check(*, today: date | None = None) -> dict[str, int]:
    """Remind and escalate every open award time limit once each. Idempotent (DeadlineAlert)."""
    today = today or clock.today_local()
    counts = {"reminded": 0, "escalated": 0}
    tenders = Tender.objects.filter(status=TenderStatus.AWAITING_AWARD).select_related(
        "buyer", "agency", "method"
    )
    for tender in tenders:
        for deadline in award_deadlines(tender):
            if not deadline.is_open or deadline.key == "objections":
                continue
            with translation.override("zh-hans"):
                if deadline.overdue(today):
                    subject = gettext("Award time limit passed: %(ref)s") % {"ref": tender.reference}
                    body = gettext("%(what)s was due on %(due)s (%(article)s).") % {
                        "what": deadline.label,
                        "due": deadline.due_on.isoformat(),
                        "article": deadline.article,
                    }
                    if _send(
                        tender,
                        deadline.key,
                        "escalated",
                        _supervisors(tender) + _officers(tender),
                        subject,
                        body,
                    ):
                        counts["escalated"] += 1
                elif today >= calendar.add_working_days(deadline.due_on, -REMIND_WORKING_DAYS_BEFORE):
                    subject = gettext("Award time limit soon: %(ref)s") % {"ref": tender.reference}
                    body = gettext("%(what)s is due on %(due)s (%(article)s).") % {
                        "what": deadline.label,
                        "due": deadline.due_on.isoformat(),
                        "article": deadline.article,
                    }
                    if _send(tender, deadline.key, "reminded", _officers(tender), subject, body):
                        counts["reminded"] += 1
    return counts
