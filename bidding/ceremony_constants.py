"""The opening ceremony's phases and their transitions, who is in the room, who may see an event,
and the states of share submissions and of each bid's opening."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CeremonyPhase(models.TextChoices):
    # Before the deadline: the room is open, bidders check in, a countdown runs from the server clock.
    LOBBY = "lobby", _("Lobby")
    # The deadline has passed: the sealed set is frozen and its seal statement announced.
    SEAL = "seal", _("Seal")
    # [deadline, deadline + Δ (+ extensions)]: custodians submit their points and proofs.
    SHARES = "shares", _("Share submission")
    # The share window closed: every bid is being opened by background workers.
    DECRYPTION = "decryption", _("Decryption")
    # Every bid was processed; the read-out (唱标) is published.
    READOUT = "readout", _("Read-out")
    # Bidders confirm the read-out or object in writing; the host answers each objection.
    CONFIRMATION = "confirmation", _("Confirmation")
    # The window ended and the signed opening record was published.
    CLOSED = "closed", _("Closed")
    # Fewer counting bids at the deadline than the method needs (`tenders.rules.min_bids`: three,
    # one for single source): no opening, the procurement failed (流标).
    FAILED = "failed", _("Failed")


CEREMONY_TRANSITIONS: dict[str, frozenset[str]] = {
    CeremonyPhase.LOBBY: frozenset({CeremonyPhase.SEAL}),
    CeremonyPhase.SEAL: frozenset({CeremonyPhase.SHARES, CeremonyPhase.FAILED}),
    CeremonyPhase.SHARES: frozenset({CeremonyPhase.DECRYPTION}),
    CeremonyPhase.DECRYPTION: frozenset({CeremonyPhase.READOUT}),
    CeremonyPhase.READOUT: frozenset({CeremonyPhase.CONFIRMATION}),
    CeremonyPhase.CONFIRMATION: frozenset({CeremonyPhase.CLOSED}),
    CeremonyPhase.CLOSED: frozenset(),
    CeremonyPhase.FAILED: frozenset(),
}

class CeremonyRole(models.TextChoices):
    HOST = "host", _("Host")
    CUSTODIAN = "custodian", _("Key custodian")
    BIDDER = "bidder", _("Bidder")
    SUPERVISOR = "supervisor", _("Supervisor")
    OBSERVER = "observer", _("Observer")


class Audience(models.TextChoices):
    """Who receives an event. Observers (the public) get PUBLIC events only; a custodian or bidder gets
    PUBLIC, PARTICIPANTS and its own events; host and supervisor get all but BIDDER events, which
    are the bidder's alone (a check-in before the deadline must not tell anyone that it bids)."""

    PUBLIC = "public", _("Everyone, observers included")
    PARTICIPANTS = "participants", _("Host, supervisor, custodians and bidders")
    STAFF = "staff", _("Host and supervisor")
    CUSTODIAN = "custodian", _("One custodian (and host and supervisor)")
    BIDDER = "bidder", _("One bidder only")


class ShareState(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class BidOpeningState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    OPENED = "opened", _("Opened")
    FAILED = "failed", _("Could not be opened")


class FaultOwner(models.TextChoices):
    BIDDER = "bidder", _("The bidder")
    CUSTODIAN = "custodian", _("A key custodian")
    PLATFORM = "platform", _("The platform")


class ConfirmationDecision(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    OBJECTED = "objected", _("Objected")
    # Did not answer within the window: taken to accept (MOF87 Art 42).
    DEEMED = "deemed", _("Taken to accept")
