"""The portal's refusals, each with a message the applicant or officer can act on."""

from django.utils.translation import gettext_lazy as _

from config.exceptions import Conflict, DomainError, NotAllowed, NotFound


class ApplicationIncomplete(DomainError):
    """Every missing or wrong item at once (一次性告知, ALL Art 32); `problems` lists them."""

    code = "application_incomplete"

    def __init__(self, problems: list) -> None:
        super().__init__(_("The application is not complete: every item to fix is listed."))
        self.problems = problems


class ApplicationNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__(_("There is no such application, or you may not see it."))


class NotDepartmentStaff(NotAllowed):
    def __init__(self) -> None:
        super().__init__(_("Only staff of a department handling this application may do this."))


class WrongApplicationState(Conflict):
    def __init__(self, status_label: str) -> None:
        super().__init__(
            _("This cannot be done while the application is “%(status)s”.") % {"status": status_label}
        )


class NotYourApplication(NotAllowed):
    def __init__(self) -> None:
        super().__init__(_("Only the applicant may change this application."))


class FeeUnpaid(Conflict):
    def __init__(self) -> None:
        super().__init__(
            _("The fee for this service must be paid before the application is submitted."), code="fee_unpaid"
        )


class PaymentRefused(DomainError):
    code = "payment_refused"


class RefundRefused(DomainError):
    """A refund that cannot be made as asked (too much, not paid, no reason...): nothing changed."""

    code = "refund_refused"


class CorrectionEmpty(DomainError):
    def __init__(self) -> None:
        super().__init__(
            _("List at least one item the applicant must correct or add."), code="correction_empty"
        )


class ReasonsRequired(DomainError):
    def __init__(self) -> None:
        super().__init__(_("A refusal must give its reasons (ALL Art 38)."), code="reasons_required")


class EnquiryNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__(_("No consultation or complaint has this tracking number."))


class InvalidFormDefinition(DomainError):
    code = "invalid_form_definition"


class InvalidFees(DomainError):
    """The fee list of a service is not one the portal can charge and refund by."""

    code = "invalid_fees"


class EnquiryInvalid(DomainError):
    code = "enquiry_invalid"
