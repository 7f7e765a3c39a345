"""Refusals of challenges, complaints, contracts and security releases, with user-facing messages."""

from config.exceptions import Conflict, DomainError, NotAllowed, NotFound


class RemedyError(DomainError):
    code = "awards_refused"


class PeriodPassed(Conflict):
    """The statutory period for this step is over (the message names the day and the article)."""

    code = "period_passed"


class ContractBlocked(Conflict):
    """A pending challenge or a suspension by the finance department stops the contract."""

    code = "contract_blocked"


class WrongRemedyState(Conflict):
    code = "wrong_state"


class NotParty(NotAllowed):
    code = "not_party"


class RemedyNotFound(NotFound):
    code = "not_found"
