"""Awards' refusals, each with a message a person can act on."""

from config.exceptions import Conflict, DomainError, NotAllowed


class AwardError(DomainError):
    code = "award_invalid"


class AwardRefused(Conflict):
    code = "award_refused"


class NotAwardOfficer(NotAllowed):
    code = "not_award_officer"


class ObjectionPeriodOver(Conflict):
    code = "objection_period_over"
