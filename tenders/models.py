"""Tenders and everything published about them: lots, criteria, custodians, documents, notices,
questions, document holders, search tokens and subscriptions."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from config import clock
from tenders.constants import (
    DEFAULT_SHARE_WINDOW_S,
    PUBLIC_STATUSES,
    AnnouncementKind,
    ConsultationCase,
    EvaluationMethod,
    ProcurementKind,
    PublicPhase,
    TenderStatus,
)

MONEY = {"max_digits": 16, "decimal_places": 2}


class Tender(models.Model):
    """One procurement put out to bid. Before publication the officers edit it; afterwards the
    notice is frozen (`notice_sha256` in the ledger) and changes only by amendment."""

    reference = models.CharField(_("reference"), max_length=64, unique=True)
    buyer = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="tenders_bought",
        verbose_name=_("buyer"),
    )
    agency = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tenders_run",
        verbose_name=_("procurement agency"),
    )
    plan = models.ForeignKey(
        "procurement.ProcurementPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tenders",
        verbose_name=_("procurement plan"),
    )
    method = models.ForeignKey(
        "procurement.ProcurementMethod",
        on_delete=models.PROTECT,
        related_name="tenders",
        verbose_name=_("procurement method"),
    )
    # The finance department's approval of this method (GPL Arts 27, 36–37): needed when the budget
    # reaches the open-tender threshold and the method is another, or a re-run switches method.
    method_approval = models.ForeignKey(
        "procurement.MethodApproval",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tenders",
        verbose_name=_("finance department's method approval"),
    )
    # The method's rule set as it stood when the tender was submitted, and again when published:
    # later changes of the method by an administrator do not change the rules of this tender.
    rule_set = models.JSONField(_("rule set"), default=dict, blank=True)
    # 财库〔2015〕124号: a competitive consultation may go on with two suppliers in these cases.
    consultation_case = models.CharField(
        _("two-supplier case (Caiku [2015] No. 124)"),
        max_length=16,
        choices=ConsultationCase.choices,
        default=ConsultationCase.NONE,
        blank=True,
    )
    # Single source (GPLR Art 38): the sole supplier and why only it can supply, publicised with the notice.
    sole_supplier = models.CharField(_("sole supplier"), max_length=200, blank=True)
    sole_supplier_reason = models.TextField(_("why only this supplier"), blank=True)
    procurement_kind = models.CharField(
        _("goods, services or works"),
        max_length=16,
        choices=ProcurementKind.choices,
        default=ProcurementKind.GOODS,
    )
    title = models.CharField(_("project title"), max_length=200)
    description = models.TextField(_("requirements"), blank=True)
    category_code = models.CharField(_("category code"), max_length=32, blank=True, db_index=True)
    region = models.CharField(_("region code"), max_length=12, blank=True, db_index=True)
    budget = models.DecimalField(_("budget (CNY)"), **MONEY)
    max_price = models.DecimalField(_("maximum price (CNY)"), null=True, blank=True, **MONEY)
    qualification_requirements = models.TextField(_("qualification requirements"), blank=True)
    evaluation_method = models.CharField(
        _("evaluation method"),
        max_length=16,
        choices=EvaluationMethod.choices,
        default=EvaluationMethod.COMPREHENSIVE,
    )
    # Names bidders fill in and the opening reads out; "price" and "currency" are always first.
    readout_fields = models.JSONField(_("read-out fields"), default=list, blank=True)
    # The tender's own read-out items by name (label, type, unit, choices): tenders/readout.py.
    readout_items = models.JSONField(_("own read-out items"), default=dict, blank=True)
    required_documents = models.JSONField(_("documents bidders must submit"), default=list, blank=True)
    bid_security = models.DecimalField(_("bid security (CNY)"), default=Decimal("0.00"), **MONEY)
    document_instructions = models.TextField(_("how to obtain the documents"), blank=True)
    document_start = models.DateTimeField(_("documents available from"), null=True, blank=True)
    document_end = models.DateTimeField(_("documents available until"), null=True, blank=True)
    question_deadline = models.DateTimeField(_("deadline for questions"), null=True, blank=True)
    bid_deadline = models.DateTimeField(
        _("bid deadline and opening time"), null=True, blank=True, db_index=True
    )
    opening_place = models.CharField(_("opening place"), max_length=200, blank=True)
    share_window_s = models.PositiveIntegerField(_("share window (seconds)"), default=DEFAULT_SHARE_WINDOW_S)
    threshold_k = models.PositiveSmallIntegerField(_("custodians needed to open (k)"), default=2)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    status = models.CharField(
        _("status"), max_length=16, choices=TenderStatus.choices, default=TenderStatus.DRAFT
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancellation"), blank=True)
    # Set when an approval flow sent it back: shown to the officers in the editor.
    return_reason = models.TextField(blank=True)
    # Normalised text the search verifies phrases against (the token table only narrows candidates).
    search_text = models.TextField(blank=True, editable=False)
    # The failed tender this one re-runs (`tender_rerun`): both tenders' pages link to each other.
    rerun_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reruns",
        verbose_name=_("re-run of"),
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        # The public list (tenders.selectors.notice_list) reads one of these newest first and stops
        # after a page: the leading column is the method or the status it is filtered on, then the
        # page's order (published_at, id), then the other common filters (status, budget range,
        # deadline for the open/closed phase), which the database checks inside the index instead
        # of fetching every row it skips (docs/search.md "Cost").
        indexes = [
            models.Index(
                fields=["status", "published_at", "id", "budget", "bid_deadline"], name="tender_list_status"
            ),
            models.Index(
                fields=["method", "published_at", "id", "status", "budget", "bid_deadline"],
                name="tender_list_method",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("notices:detail", args=[self.reference])

    @property
    def opening_at(self):
        """Opening is at the bid deadline itself (BL Art 34)."""
        return self.bid_deadline

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    def is_open_for_bids(self, at=None) -> bool:
        """Published and before the deadline, judged from the clock now (not from a job having run)."""
        at = at or clock.now()
        return (
            self.status == TenderStatus.PUBLISHED and self.bid_deadline is not None and at < self.bid_deadline
        )

    def public_phase(self, at=None) -> str:
        if self.status == TenderStatus.PUBLISHED:
            return PublicPhase.OPEN if self.is_open_for_bids(at) else PublicPhase.CLOSED
        return self.status

    def get_public_phase_display(self) -> str:
        return str(PublicPhase(self.public_phase()).label)


class Lot(models.Model):
    """A separately awarded part of the tender with its own budget; `number` is the SB1 lot id."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField(_("lot number"))
    title = models.CharField(_("lot title"), max_length=200)
    description = models.TextField(_("lot requirements"), blank=True)
    budget = models.DecimalField(_("lot budget (CNY)"), **MONEY)

    class Meta:
        ordering = ["tender", "number"]
        constraints = [models.UniqueConstraint(fields=["tender", "number"], name="lot_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def sb1_id(self) -> str:
        return str(self.number)


class Criterion(models.Model):
    """One evaluation criterion with its weight in percent; the price criterion carries the price weight."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("how it is scored"), blank=True)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    is_price = models.BooleanField(_("price criterion"), default=False)

    class Meta:
        ordering = ["tender", "position", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class Custodian(models.Model):
    """A key custodian of the tender (SEALED_BIDS.md "Keys"): index 1..n, in the order assigned."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="custodians")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="custodianships"
    )
    index = models.PositiveSmallIntegerField(_("index"))

    class Meta:
        ordering = ["tender", "index"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "index"], name="custodian_index_unique"),
            models.UniqueConstraint(fields=["tender", "user"], name="custodian_user_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.index}. {self.user}"


class TenderDocument(models.Model):
    """A tender document (the tender file, drawings, a bill of quantities); its content lives in versions."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("document title"), max_length=200)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["tender", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def current(self) -> "DocumentVersion | None":
        return self.versions.order_by("-number").first()


def _document_path(instance: "DocumentVersion", filename: str) -> str:
    return f"tenders/{instance.document.tender_id}/{instance.document_id}/{instance.number}/{filename}"


class DocumentVersion(models.Model):
    """One version of a document's file; earlier versions stay downloadable for the record."""

    document = models.ForeignKey(TenderDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=_document_path, max_length=300)
    filename = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(default=clock.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The amendment that issued this version; null for versions in the original notice.
    announcement = models.ForeignKey(
        "Announcement", on_delete=models.PROTECT, null=True, blank=True, related_name="document_versions"
    )

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class DocumentHolder(models.Model):
    """Someone who downloaded the tender's documents: notified of every amendment and clarification.
    Nobody else may learn who or how many obtained them (BL Art 22): no page or API lists these."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="holders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    first_download_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tender", "user"], name="document_holder_unique")]

    def __str__(self) -> str:
        return f"{self.tender_id}:{self.user_id}"


class Announcement(models.Model):
    """A public notice about a tender: the tender notice, an amendment, a clarification or a
    cancellation. `payload` is the frozen canonical content whose hash went to the ledger."""

    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="announcements")
    kind = models.CharField(_("type"), max_length=16, choices=AnnouncementKind.choices)
    sequence = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    published_at = models.DateTimeField(_("published"), db_index=True)
    # Null when the platform published it on the approval flow's outcome.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField()
    payload_sha256 = models.CharField(max_length=64)
    ledger_index = models.PositiveBigIntegerField(null=True, blank=True)
    # An amendment or clarification that moved the deadline records both (BLR Art 21).
    old_deadline = models.DateTimeField(null=True, blank=True)
    new_deadline = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tender", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "sequence"], name="announcement_sequence_unique")
        ]
        indexes = [models.Index(fields=["kind", "published_at"], name="announcement_kind_published")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{self.tender.get_absolute_url()}#announcement-{self.sequence}"

    @property
    def deadline_moved(self) -> bool:
        return self.new_deadline is not None and self.new_deadline != self.old_deadline


class NoticeDraft(models.Model):
    """A notice the platform drafted for the tender's officers to review, edit and publish: the
    failure notice when the procurement fails. `payload` holds the facts it was drafted from (reason,
    bids received at the deadline), which go into the published notice unchanged; publishing freezes
    the officer's title and text as an `Announcement` and links it here, after which it never changes."""

    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="notice_drafts")
    kind = models.CharField(_("type"), max_length=16, choices=AnnouncementKind.choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)
    # Null while the text is the platform's own draft.
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    announcement = models.OneToOneField(
        Announcement, on_delete=models.PROTECT, null=True, blank=True, related_name="draft"
    )

    class Meta:
        ordering = ["tender", "id"]
        constraints = [models.UniqueConstraint(fields=["tender", "kind"], name="notice_draft_unique")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.announcement_id is not None


class Question(models.Model):
    """A supplier's question. Other suppliers never see who asked; the answer is published to
    everyone as a clarification."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("question"))
    asked_at = models.DateTimeField(default=clock.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    clarification = models.ForeignKey(
        Announcement, on_delete=models.PROTECT, null=True, blank=True, related_name="questions"
    )

    class Meta:
        ordering = ["tender", "asked_at", "id"]

    def __str__(self) -> str:
        return self.text[:50]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class SearchToken(models.Model):
    """One character bigram (or a lone character) of a public tender's text: the search index
    that works for Chinese on SQLite and PostgreSQL alike (docs/search.md)."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="search_tokens", db_index=False)
    token = models.CharField(max_length=2)
    # The tender's publication time, copied here so the newest matches of a token are read in
    # index order and the search stops after one page (docs/search.md).
    published_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["token", "published_at", "tender"], name="search_token_lookup")]
        constraints = [models.UniqueConstraint(fields=["tender", "token"], name="search_token_unique")]

    def __str__(self) -> str:
        return self.token


class SearchTokenCount(models.Model):
    """How many public tenders have each token, refreshed by a periodic job: the search starts from
    a term's rarest bigrams. Approximate on purpose (a token missing here counts as rare)."""

    token = models.CharField(max_length=2, primary_key=True)
    count = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.token} {self.count}"


class Subscription(models.Model):
    """Email alerts for new announcements, by category-code prefix and region-code prefix. Double
    opt-in: nothing is mailed to the address but the confirmation until its owner confirms."""

    email = models.EmailField(_("email address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notice_subscriptions",
    )
    category_prefix = models.CharField(_("category code (or its beginning)"), max_length=32, blank=True)
    region_prefix = models.CharField(_("region code (or its beginning)"), max_length=12, blank=True)
    token = models.CharField(max_length=43, unique=True)  # in the unsubscribe link
    created_at = models.DateTimeField(default=clock.now)
    is_active = models.BooleanField(default=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)  # the rate limit counts these

    def __str__(self) -> str:
        return f"{self.email} {self.category_prefix or '*'} {self.region_prefix or '*'}"


class SubscriptionDelivery(models.Model):
    """One announcement mailed to one subscription: makes the sending task idempotent."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "announcement"], name="subscription_delivery_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} {self.announcement_id}"


class HolderNotification(models.Model):
    """One amendment or clarification mailed to one document holder (idempotent sending)."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["announcement", "user"], name="holder_notification_unique")
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id} {self.user_id}"


class PublicityObjection(models.Model):
    """An objection to a single-source publicity notice (GPLR Art 38), recorded with its time; the
    ledger holds its hash, not the text or who raised it."""

    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="publicity_objections")
    text = models.TextField(_("objection"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    ledger_index = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "id"]
        verbose_name = _("publicity objection")
        verbose_name_plural = _("publicity objections")

    def __str__(self) -> str:
        return f"{self.tender.reference} {self.raised_at:%Y-%m-%d}"
