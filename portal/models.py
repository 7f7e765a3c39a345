"""The one-stop portal's tables: the service catalogue and guides, applications with their
attachments, corrections, events and payments, enquiries, information, and the personal centre."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from portal.constants import (
    DEFAULT_WIDGETS,
    ApplicationStatus,
    ArticleKind,
    Audience,
    CategoryKind,
    EnquiryKind,
    EnquiryStatus,
    HandlingMode,
    PaymentStatus,
    RefundReason,
    RefundStatus,
)


class _Bilingual:
    """Catalogue data is written in Chinese; `name_en` is shown when the page is in English."""

    @property
    def title(self) -> str:
        lang = get_language() or ""
        return self.name_en if lang.startswith("en") and self.name_en else self.name  # type: ignore[attr-defined]


class Category(_Bilingual, models.Model):
    """A way into the catalogue: a life event, a business stage or a topic."""

    kind = models.CharField(_("kind"), max_length=16, choices=CategoryKind.choices)
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("name in English"), max_length=80, blank=True)
    audience = models.CharField(_("audience"), max_length=4, choices=Audience.choices, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "order", "slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Service(_Bilingual, models.Model):
    """One administrative matter (事项) and its guide (办事指南), as ALL Art 30 requires it published.

    `form_schema` is a JSON Schema (draft 2020-12) of the application form; `form_ui` holds UI hints
    (field order, widgets, help) — both data, edited by the department's staff."""

    code = models.SlugField(_("matter code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=160, blank=True)
    audience = models.CharField(_("audience"), max_length=4, choices=Audience.choices)
    matter_type = models.CharField(_("type of matter"), max_length=40, default="行政许可")
    department = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("lead department"),
    )
    joint_departments = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="joint_services",
        verbose_name=_("joint departments"),
    )
    categories = models.ManyToManyField(
        Category, blank=True, related_name="services", verbose_name=_("categories")
    )
    summary = models.TextField(_("summary"), blank=True)
    # The guide (ALL Art 30): matter, legal basis, conditions, quantity, procedure, time limit, materials, sample form.
    legal_basis = models.TextField(_("legal basis"))
    conditions = models.TextField(_("conditions"))
    quantity_limit = models.CharField(_("quantity limit"), max_length=200, default="无数量限制")
    steps = models.JSONField(_("procedure steps"), default=list, help_text=_("A list of steps, in order."))
    legal_time_limit = models.PositiveSmallIntegerField(_("legal time limit (working days)"))
    promised_time_limit = models.PositiveSmallIntegerField(_("promised time limit (working days)"))
    handling_mode = models.CharField(
        _("how"), max_length=16, choices=HandlingMode.choices, default=HandlingMode.ONLINE
    )
    location = models.CharField(_("where"), max_length=200, blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40)
    supervision_phone = models.CharField(_("complaints telephone"), max_length=40, blank=True)
    fee_items = models.JSONField(
        _("fees"),
        default=list,
        blank=True,
        help_text=_(
            'A list of {"item", "amount", "basis", "refund_when"}; empty when free. "refund_when" lists '
            'when the item is given back by itself: "refused", "withdrawn" (before acceptance).'
        ),
    )
    result_name = models.CharField(_("result (certificate or decision)"), max_length=120)
    # The electronic licence (电子证照) an approval issues into the holder's wallet; empty: none.
    licence_kind = models.SlugField(_("electronic licence issued"), max_length=40, blank=True)
    # English content (portal/translated.py): shown in English mode, Chinese with a note when empty.
    summary_en = models.TextField(_("summary in English"), blank=True)
    legal_basis_en = models.TextField(_("legal basis in English"), blank=True)
    conditions_en = models.TextField(_("conditions in English"), blank=True)
    steps_en = models.JSONField(_("procedure steps in English"), default=list, blank=True)
    result_name_en = models.CharField(_("result in English"), max_length=160, blank=True)
    location_en = models.CharField(_("where, in English"), max_length=240, blank=True)
    office_hours_en = models.CharField(_("office hours in English"), max_length=240, blank=True)
    faq = models.JSONField(_("frequently asked questions"), default=list, blank=True)
    form_schema = models.JSONField(_("application form (JSON Schema)"), default=dict)
    form_ui = models.JSONField(_("form UI hints"), default=dict, blank=True)
    is_published = models.BooleanField(pgettext_lazy("article", "published"), default=True)
    search_text = models.TextField(
        editable=False, blank=True
    )  # bigrams of name, summary, keywords (portal.search)
    keywords = models.CharField(_("search keywords"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["audience", "code"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name

    @property
    def fee_total(self) -> Decimal:
        return sum((Decimal(str(item["amount"])) for item in self.fee_items), Decimal("0"))

    def fee_refundable(self, reason: str) -> Decimal:
        """What the fee rules give back for `reason`: the items whose `refund_when` lists it."""
        return sum(
            (
                Decimal(str(item["amount"]))
                for item in self.fee_items
                if reason in item.get("refund_when", [])
            ),
            Decimal("0"),
        )

    @property
    def is_joint(self) -> bool:
        return self.joint_departments.exists()


class ServiceMaterial(_Bilingual, models.Model):
    """One item of the full list of materials; `key` names it in attachments and corrections."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="materials")
    key = models.SlugField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    required = models.BooleanField(_("required"), default=True)
    form = models.CharField(_("original or copy"), max_length=40, default="原件扫描件")
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    source = models.CharField(_("issued by"), max_length=120, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    name_en = models.CharField(_("name in English"), max_length=240, blank=True)
    form_en = models.CharField(_("original or copy, in English"), max_length=80, blank=True)
    source_en = models.CharField(_("issued by, in English"), max_length=160, blank=True)
    # A licence of this kind in the applicant's wallet may stand for the upload (材料复用).
    licence_kind = models.SlugField(_("electronic licence accepted"), max_length=40, blank=True)
    blank_form = models.FileField(_("blank form"), upload_to="portal/forms/", blank=True)
    sample_form = models.FileField(_("filled-in sample"), upload_to="portal/forms/", blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["service", "order", "key"]
        constraints = [models.UniqueConstraint(fields=["service", "key"], name="material_key_unique")]

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    """One application for a service by a citizen (or on behalf of an enterprise)."""

    reference = models.CharField(pgettext_lazy("application", "reference"), max_length=24, unique=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_applications",
        verbose_name=_("on behalf of"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    form_data = models.JSONField(_("form"), default=dict)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    acceptance_due = models.DateField(_("acceptance due"), null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    decision_due = models.DateField(_("legal time limit"), null=True, blank=True)
    promised_due = models.DateField(_("promised time limit"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reasons = models.TextField(_("reasons"), blank=True)
    approval_flow_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    decision_document = models.ForeignKey(
        "reports.SignedDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    event_seq = models.PositiveIntegerField(default=0)  # the last ApplicationEvent.seq, for live catch-up

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["service", "status"]), models.Index(fields=["applicant", "status"])]

    def __str__(self) -> str:
        return self.reference


def _attachment_path(instance: "Attachment", filename: str) -> str:
    return f"portal/applications/{instance.application.reference}/{uuid.uuid4().hex}-{filename}"


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    material_key = models.SlugField(max_length=40)
    file = models.FileField(upload_to=_attachment_path)
    filename = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    superseded = models.BooleanField(default=False)  # replaced by a later upload for the same material
    # Reuse (材料复用): the wallet licence or the earlier application's file this one stands for.
    licence = models.ForeignKey(
        "portal.Licence", null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    reused_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reuses"
    )

    class Meta:
        ordering = ["material_key", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.filename}"


class Correction(models.Model):
    """A request to correct or complete, listing every problem at once (一次性告知, ALL Art 32)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="corrections")
    items = models.JSONField(
        default=list
    )  # [{"target": "material:<key>" | "field:<name>", "problem": "..."}]
    note = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.application_id}: {len(self.items)} item(s) at {self.requested_at:%Y-%m-%d}"


class ApplicationEvent(models.Model):
    """One step the applicant sees on the progress page; `seq` lets a reconnecting page catch up."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=32)
    message = models.TextField()  # a sentence in Chinese and its English (stored as {"zh","en"} in `texts`)
    texts = models.JSONField(default=dict)
    department = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["application", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["application", "seq"], name="application_event_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} #{self.seq} {self.kind}"

    @property
    def text(self) -> str:
        lang = get_language() or "zh-hans"
        return self.texts.get("en" if lang.startswith("en") else "zh", self.message)


class Payment(models.Model):
    """A fee payment for an application through one provider (see portal.payments)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="payments")
    order_id = models.CharField(max_length=40, unique=True)
    provider = models.CharField(max_length=32)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    provider_reference = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.amount} CNY ({self.status})"


class Refund(models.Model):
    """Money given back from one paid Payment, asked of its provider and confirmed by the provider's
    signed notification. Refunds that are requested or succeeded never add up to more than the payment."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    refund_id = models.CharField(max_length=40, unique=True)  # ours, sent to the provider (out_refund_no)
    # One refund per key: the fee rules use "<order>:<reason>", a staff form its own token, so a
    # double click or a retried request finds the refund already there instead of making a second.
    idempotency_key = models.CharField(max_length=80, unique=True)
    amount = models.DecimalField(_("amount (CNY)"), max_digits=12, decimal_places=2)
    reason = models.CharField(pgettext_lazy("refund", "reason"), max_length=16, choices=RefundReason.choices)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(  # empty when the service's fee rules decided it
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RefundStatus.choices, default=RefundStatus.REQUESTED
    )
    provider_reference = models.CharField(max_length=80, blank=True)
    requested_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)  # the provider took the request
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.refund_id} {self.amount} CNY ({self.status})"


class PaymentNotification(models.Model):
    """Every notification a provider sent, verified or not; (provider, notification_id) makes replays no-ops."""

    provider = models.CharField(max_length=32)
    notification_id = models.CharField(max_length=80)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    refund = models.ForeignKey(  # set for a refund notification
        Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    body = models.TextField()
    signature_valid = models.BooleanField()
    outcome = models.CharField(max_length=40)
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "notification_id"],
                condition=models.Q(signature_valid=True),
                name="payment_notification_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider}/{self.notification_id}: {self.outcome}"


class Message(models.Model):
    """A message in a user's personal centre."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_messages"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class Enquiry(models.Model):
    """A consultation, complaint or suggestion, followed by its tracking number."""

    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=EnquiryKind.choices)
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="enquiries"
    )
    department = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="enquiries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="enquiries"
    )
    name = models.CharField(_("your name"), max_length=60)
    contact = models.CharField(_("email or telephone"), max_length=120)
    subject = models.CharField(pgettext_lazy("enquiry", "subject"), max_length=200)
    body = models.TextField(_("your question or complaint"))
    status = models.CharField(
        _("status"), max_length=12, choices=EnquiryStatus.choices, default=EnquiryStatus.RECEIVED
    )
    created_at = models.DateTimeField()
    answer_due = models.DateField(_("answer due"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    published = models.BooleanField(_("published in the public Q&A"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = _("enquiries")

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.subject}"


class Article(_Bilingual, models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=ArticleKind.choices)
    slug = models.SlugField(unique=True)
    name = models.CharField(_("title"), max_length=200)
    name_en = models.CharField(_("title in English"), max_length=240, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text"))
    topic = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    department = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.name


class Subscription(models.Model):
    """Email updates for a topic (or for a kind of article when topic is empty); confirmed by link."""

    email = models.EmailField()
    topic = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    kind = models.CharField(max_length=16, choices=ArticleKind.choices, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="portal_subscriptions",
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email", "topic", "kind"], name="subscription_unique")]

    def __str__(self) -> str:
        return f"{self.email} ({self.kind or 'all'})"


class SavedService(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_services"
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "service"], name="saved_service_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.service_id}"


def _default_widgets() -> list[str]:
    return [str(w) for w in DEFAULT_WIDGETS]


class DisplayPreference(models.Model):
    """What a user chose for display and for their personal home page, remembered across sessions."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="display_preference"
    )
    elder_mode = models.BooleanField(_("elder-friendly mode"), default=False)
    high_contrast = models.BooleanField(_("high contrast"), default=False)
    widgets = models.JSONField(default=_default_widgets)
    life_stage = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("what matters to me now"),
    )

    def __str__(self) -> str:
        return f"{self.user_id}: elder={self.elder_mode} contrast={self.high_contrast}"


# Evaluations, appointments, tracking and notifications (portal.services.ratings, appointments,
# tracking, notifications) keep their tables in their own module.
from portal.citizen_models import (  # noqa: E402, F401, I001
    Appointment,
    Notification,
    Office,
    ServiceRating,
    TrackingFailure,
)
from portal.models_wallet import DepartmentName, Licence  # noqa: E402,F401  (registered with the app)
