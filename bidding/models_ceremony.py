"""The opening ceremony's records (SEALED_BIDS.md "Opening", RULES.md "Opening"): the room and its
event log, check-ins, custodians' share submissions (points sealed under a key kept outside the
database), each bid's opening result, confirmations, objections and the opening record.
Imported by bidding/models.py so Django sees these models as the bidding app's."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bidding.ceremony_constants import (
    Audience,
    BidOpeningState,
    CeremonyPhase,
    CeremonyRole,
    ConfirmationDecision,
    FaultOwner,
    ShareState,
)

MONEY = {"max_digits": 16, "decimal_places": 2}


class CeremonyRoom(models.Model):
    """One tender's opening. The row is the lock under which event sequence numbers are allocated
    and phases move, so several server processes agree on both. `last_sequence` counts every
    event of the room and is never sent to a client (CeremonyEvent: one stream per audience)."""

    tender = models.OneToOneField("tenders.Tender", on_delete=models.PROTECT, related_name="ceremony")
    phase = models.CharField(
        _("phase"), max_length=16, choices=CeremonyPhase.choices, default=CeremonyPhase.LOBBY
    )
    phase_changed_at = models.DateTimeField(null=True, blank=True)
    last_sequence = models.PositiveBigIntegerField(default=0)
    # The seal statement as announced (count and root), and where it is in the ledger.
    seal_count = models.PositiveIntegerField(null=True, blank=True)
    seal_root = models.CharField(max_length=43, blank=True)
    seal_statement = models.JSONField(null=True, blank=True)
    # The share window's end: deadline + Δ, moved by the host's recorded extensions.
    share_window_ends_at = models.DateTimeField(null=True, blank=True)
    share_window_closed_at = models.DateTimeField(null=True, blank=True)
    # The window end at which "too few custodians" was announced (announced once per end; the host
    # then extends the window or closes it).
    shortfall_announced_for = models.DateTimeField(null=True, blank=True)
    # True when the window was closed before its end while shares were still missing (blame: platform).
    share_window_closed_early = models.BooleanField(default=False)
    confirmation_ends_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)
    record = models.OneToOneField(
        "reports.SignedDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    record_ledger_index = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("opening ceremony")

    def __str__(self) -> str:
        return f"{self.tender_id} {self.phase}"


class CeremonyEvent(models.Model):
    """Everything that happened in the room, in order. Stored before it is sent, so a client that
    reconnects with the last number it saw in each stream gets exactly what it missed.

    Each audience (public, participants, staff, custodian j, bidder s) is its own stream, numbered
    1, 2, … on its own: a member is sent its streams' numbers only, so nobody can count, from a gap
    or a total, events of a stream it may not see (a bidder's check-in before the deadline).
    `sequence` orders the whole room and never leaves the server."""

    room = models.ForeignKey(CeremonyRoom, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=40)
    audience = models.CharField(max_length=16, choices=Audience.choices)
    # The custodian index or supplier id when the audience is one custodian or one bidder.
    audience_key = models.CharField(max_length=40, blank=True)
    # "public", "participants", "staff", "custodian.<j>" or "bidder.<supplier id>", and the number
    # of this event within it (what clients see).
    stream = models.CharField(max_length=64)
    stream_sequence = models.PositiveBigIntegerField()
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["room", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["room", "sequence"], name="ceremony_event_sequence_unique"),
            models.UniqueConstraint(
                fields=["room", "stream", "stream_sequence"], name="ceremony_event_stream_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room_id}#{self.sequence} {self.kind}"


class CeremonyCheckIn(models.Model):
    """A bidder's representative (or another participant) present in the room."""

    room = models.ForeignKey(CeremonyRoom, on_delete=models.PROTECT, related_name="check_ins")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=16, choices=CeremonyRole.choices)
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_in_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="ceremony_check_in_unique")]

    def __str__(self) -> str:
        return f"{self.room_id} {self.role} {self.user_id}"


class ShareSubmission(models.Model):
    """One signed share submission as received, accepted or refused (with whose fault). Its point Z_j
    is never in the row in clear: `envelope` is the submission without it; `sealed_point` holds, under
    the share key in PLATFORM_KEY_DIR, the accepted point (raw 65 bytes) or the whole refused
    submission as received (its point may be good; it becomes ledger evidence when the window
    closes). A database reader alone cannot unwrap a share before the window closes."""

    room = models.ForeignKey(CeremonyRoom, on_delete=models.PROTECT, related_name="share_submissions")
    custodian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    index = models.PositiveSmallIntegerField()
    handle = models.CharField(max_length=43)
    envelope = models.JSONField()  # {"submission", "signature"} as received, minus submission.point
    state = models.CharField(max_length=10, choices=ShareState.choices)
    refusal_code = models.CharField(max_length=32, blank=True)
    refusal_owner = models.CharField(max_length=10, choices=FaultOwner.choices, blank=True)
    sealed_point = models.BinaryField(null=True, blank=True)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["room", "index", "received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "index", "handle"],
                condition=models.Q(state="accepted"),
                name="share_accepted_once_per_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room_id}/{self.index} {self.handle} {self.state}"


class BidOpening(models.Model):
    """One counting bid at the opening: who, when received, and what opening it found. A failed bid
    is kept with its reason and owner (EBM Art 31); it still counts as received."""

    room = models.ForeignKey(CeremonyRoom, on_delete=models.PROTECT, related_name="bid_openings")
    version = models.OneToOneField("bidding.BidVersion", on_delete=models.PROTECT, related_name="opening")
    manifest_sha256 = models.CharField(max_length=43)
    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.PROTECT, related_name="+")
    lot = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(_("received at"))
    # Custodian j's slot handle for this bid ({"1": b64u, ...}): where its accepted point is found.
    handles = models.JSONField(default=dict)
    position = models.PositiveIntegerField()  # read-out order: receipt time, then supplier, then lot
    state = models.CharField(max_length=10, choices=BidOpeningState.choices, default=BidOpeningState.PENDING)
    reason = models.CharField(max_length=32, blank=True)
    owner = models.CharField(max_length=10, choices=FaultOwner.choices, blank=True)
    blamed_custodians = models.JSONField(default=list, blank=True)
    share_states = models.JSONField(default=dict, blank=True)
    readout = models.JSONField(null=True, blank=True)
    price = models.DecimalField(null=True, blank=True, **MONEY)
    # Marks that do not drop the bid from the read-out (e.g. above the maximum price).
    remarks = models.JSONField(default=list, blank=True)
    # After opening: the form and the content key K, sealed under the contents key (PLATFORM_KEY_DIR).
    sealed_form = models.BinaryField(null=True, blank=True)
    sealed_content_key = models.BinaryField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["room", "position"]
        constraints = [
            models.UniqueConstraint(fields=["room", "manifest_sha256"], name="bid_opening_manifest_unique"),
            models.UniqueConstraint(fields=["room", "position"], name="bid_opening_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.room_id}#{self.position} {self.state}"


class ReadoutConfirmation(models.Model):
    """A bidder's answer to the read-out (or, after the window, the recorded deemed acceptance)."""

    room = models.ForeignKey(CeremonyRoom, on_delete=models.PROTECT, related_name="confirmations")
    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(max_length=10, choices=ConfirmationDecision.choices)
    decided_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "supplier"], name="readout_confirmation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.room_id} {self.supplier_id} {self.decision}"


class Objection(models.Model):
    """A bidder's written objection to the opening and the host's answer in the room (BLR Art 44)."""

    room = models.ForeignKey(CeremonyRoom, on_delete=models.PROTECT, related_name="objections")
    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("objection"))
    raised_at = models.DateTimeField()
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["room", "raised_at"]

    def __str__(self) -> str:
        return f"{self.room_id} {self.supplier_id} {self.raised_at:%H:%M:%S}"
