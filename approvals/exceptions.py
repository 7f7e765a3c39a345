"""Why the approval engine refuses something, in words the user can act on."""

from django.utils.translation import gettext_lazy as _

from config.exceptions import Conflict, DomainError, NotAllowed, NotFound


class ApprovalNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__(_("There is no such approval, or you may not see it."))


class NotEntitled(NotAllowed):
    """The user has no pending decision on the current step, in their own name or by delegation."""

    code = "not_entitled"


class WrongState(Conflict):
    code = "wrong_state"


class UnknownFlow(NotFound):
    code = "unknown_flow"


class SubjectNotRegistered(DomainError):
    code = "subject_not_registered"


class InvalidCondition(DomainError):
    code = "invalid_condition"


class NoHandler(Conflict):
    """A step reached a role nobody holds: an approval never sits with no one."""

    code = "no_handler"


class NoSuchDelegate(DomainError):
    """The name given for a delegate is not an active member of staff (or the one asking is not
    staff): one message for every case, so it confirms no username."""

    code = "no_such_delegate"

    def __init__(self) -> None:
        super().__init__(
            _("You can delegate only to an active member of staff who decides approvals. Check the username.")
        )
