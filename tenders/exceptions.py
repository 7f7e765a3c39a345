"""Refusals of the tender services, each naming the rule it applies in the user's language."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from config.exceptions import Conflict, DomainError, NotAllowed, NotFound


@dataclass(frozen=True)
class RuleViolation:
    """One broken rule: `rule` is a stable code (clients, tests), `message` names the rule and its source."""

    rule: str
    message: Any
    field: str = ""

    def __str__(self) -> str:
        return str(self.message)


class TenderRulesViolated(DomainError):
    """The tender breaks one or more rules of its method's rule set; every broken rule is listed."""

    code = "rules_violated"

    def __init__(self, violations: list[RuleViolation]) -> None:
        self.violations = violations
        super().__init__("\n".join(str(v.message) for v in violations))

    @property
    def rules(self) -> list[str]:
        return [v.rule for v in self.violations]


class SubscriptionLimited(DomainError):
    status_code = 429
    code = "subscription_limited"


class SubscriptionUnknown(NotFound):
    def __init__(self) -> None:
        super().__init__(_("This subscription does not exist or was cancelled."))


class TenderNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__(_("No such tender."))


class TenderNotEditable(Conflict):
    code = "tender_not_editable"

    def __init__(self) -> None:
        super().__init__(_("Only a draft can be edited; a published tender changes by amendment."))


class TenderTransitionRefused(Conflict):
    code = "transition_refused"

    def __init__(self, current: Any, target: Any) -> None:
        super().__init__(
            _("A tender in state “%(current)s” cannot become “%(target)s”.")
            % {"current": current, "target": target}
        )


class NotTenderOfficer(NotAllowed):
    def __init__(self) -> None:
        super().__init__(_("Only a procurement officer of the buyer or the agency may do this."))


class DeadlinePassed(Conflict):
    code = "deadline_passed"

    def __init__(self, what: Any) -> None:
        super().__init__(_("The deadline for %(what)s has passed.") % {"what": what})


class InvalidTenderData(DomainError):
    code = "invalid_tender"


class NoticeDraftNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__(_("No such notice draft."))


class NoticeAlreadyPublished(Conflict):
    code = "notice_already_published"

    def __init__(self, published_at: Any) -> None:
        super().__init__(
            _("This notice was already published on %(date)s; a published notice cannot change.")
            % {"date": published_at}
        )


class RerunRefused(Conflict):
    code = "rerun_refused"
