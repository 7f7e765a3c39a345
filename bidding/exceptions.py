"""Refusals of sealed bidding beyond SB1's own (`bidding.sb1.SB1Error`): the clock, the tender's
state and limits, chunks, certificates, eligibility, versions and the seal. Each has a stable code."""

from django.utils.translation import gettext_lazy as _

from config.exceptions import Conflict, DomainError, NotAllowed, NotFound


class ChunkNotStored(DomainError):
    """The server could not write the chunk (full disk, storage failure): nothing was kept."""

    status_code = 507
    code = "chunk_not_stored"

    def __init__(self) -> None:
        super().__init__(
            _(
                "The server could not store this chunk just now; nothing of it was kept. Send it again in a few minutes."
            )
        )


class DeadlinePassed(Conflict):
    code = "deadline_passed"

    def __init__(self) -> None:
        super().__init__(
            _("The bid deadline has passed: nothing can be submitted, replaced or withdrawn any more.")
        )


class TenderNotOpen(Conflict):
    code = "tender_not_open"

    def __init__(self) -> None:
        super().__init__(_("This tender is not open for bids."))


class TenderUnknown(NotFound):
    def __init__(self) -> None:
        super().__init__(_("No such tender."))


class UploadUnknown(NotFound):
    def __init__(self) -> None:
        super().__init__(_("No such bid upload."))


class NotABidder(NotAllowed):
    code = "not_a_bidder"

    def __init__(self) -> None:
        super().__init__(_("Only the staff of a registered supplier may bid."))


class BidTooLarge(DomainError):
    code = "bid_too_large"


class BidRefused(DomainError):
    """A bid or chunk refused for what it is (bad chunk, wrong lot, ...)."""

    code = "bid_refused"


class ChunkDiffers(Conflict):
    code = "chunk_differs"

    def __init__(self) -> None:
        super().__init__(
            _("This chunk was already received with other bytes; an acknowledged chunk never changes.")
        )


class BidIdReused(Conflict):
    code = "bid_id_reused"

    def __init__(self) -> None:
        super().__init__(_("This bid id is already used; every version needs a new random bid id."))


class EphemeralReused(Conflict):
    code = "ephemeral_reused"

    def __init__(self) -> None:
        super().__init__(
            _("An ephemeral key of this manifest was already used by an accepted bid; seal the bid again.")
        )


class ReplacesNotCurrent(Conflict):
    code = "replaces_not_current"

    def __init__(self) -> None:
        super().__init__(
            _(
                'The manifest\'s "replaces" does not name your current version for this lot '
                "(or is not null when you have none): reload and seal it again."
            )
        )


class WithdrawalNotCurrent(Conflict):
    code = "withdrawal_not_current"

    def __init__(self) -> None:
        super().__init__(_("A withdrawal must name your current version for the lot."))


class CertificateRefused(NotAllowed):
    code = "certificate_refused"


class SupplierIneligible(NotAllowed):
    code = "supplier_ineligible"


class NotSealedYet(Conflict):
    code = "not_sealed_yet"

    def __init__(self) -> None:
        super().__init__(_("The tender is sealed at its bid deadline, not before."))


class VerificationLate(Conflict):
    """A finalize received before the deadline whose checks were still running when the grace after
    the deadline ran out (or the tender had been sealed): the platform's failure, not the bidder's."""

    code = "verification_late"

    def __init__(self, *, received_at: str, grace_seconds: int) -> None:
        super().__init__(
            _(
                "Your bid arrived at %(received_at)s, before the deadline, but the platform could not "
                "finish checking it within %(grace)d seconds after the deadline, so it is not counted. "
                "This is the platform's failure, not yours: keep this message as evidence."
            )
            % {"received_at": received_at, "grace": grace_seconds}
        )
