"""The portal's vocabularies: audiences, category kinds, and the application and enquiry state machines."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Audience(models.TextChoices):
    CITIZEN = "g2c", _("Citizens")  # 个人办事
    BUSINESS = "g2b", _("Businesses")  # 法人办事


class CategoryKind(models.TextChoices):
    LIFE_EVENT = "life_event", _("Life event")  # 出生、婚育、就业…: how citizens think about what they need
    BUSINESS_STAGE = "business_stage", _("Business stage")  # 开办、经营、变更、注销
    TOPIC = "topic", _("Topic")  # 户籍、教育、税务… shared by both audiences


class HandlingMode(models.TextChoices):
    ONLINE = "online", _("Fully online")  # 全程网办
    ONLINE_THEN_COUNTER = "online_counter", _("Apply online, collect in person")
    COUNTER = "counter", _("In person only")


class ApplicationStatus(models.TextChoices):
    DRAFT = (
        "draft",
        pgettext_lazy("application status", "Draft"),
    )  # the applicant is filling it in; nobody else sees it
    SUBMITTED = (
        "submitted",
        pgettext_lazy("application status", "Submitted, awaiting acceptance"),
    )  # the lead department checks completeness
    CORRECTION = (
        "correction",
        pgettext_lazy("application status", "Correction requested"),
    )  # told every missing item at once; applicant's turn
    IN_REVIEW = (
        "in_review",
        pgettext_lazy("application status", "Accepted, under review"),
    )  # accepted; the approval flow runs across departments
    APPROVED = (
        "approved",
        pgettext_lazy("application status", "Approved"),
    )  # decision granted; the decision document is issued
    REFUSED = (
        "refused",
        pgettext_lazy("application status", "Refused"),
    )  # refused in writing with reasons and the right of review or suit
    WITHDRAWN = (
        "withdrawn",
        pgettext_lazy("application status", "Withdrawn"),
    )  # the applicant withdrew before a decision


APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    ApplicationStatus.DRAFT: {ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.SUBMITTED: {
        ApplicationStatus.CORRECTION,
        ApplicationStatus.IN_REVIEW,
        ApplicationStatus.REFUSED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.CORRECTION: {ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.IN_REVIEW: {
        ApplicationStatus.APPROVED,
        ApplicationStatus.REFUSED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.APPROVED: set(),
    ApplicationStatus.REFUSED: set(),
    ApplicationStatus.WITHDRAWN: set(),
}

OPEN_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.CORRECTION, ApplicationStatus.IN_REVIEW)


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting payment")  # created; the provider has not confirmed
    PAID = "paid", _("Paid")  # a verified notification confirmed the full amount
    FAILED = (
        "failed",
        pgettext_lazy("payment status", "Failed"),
    )  # the provider reported a failure; a new payment may be started


class RefundReason(models.TextChoices):
    """Why a fee is given back. The first two are decided by the service's fee rules
    (`Service.fee_items[*].refund_when`); the others by department staff."""

    REFUSED = "refused", pgettext_lazy("refund reason", "The application was refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("refund reason", "Withdrawn before acceptance")
    DUPLICATE = "duplicate", pgettext_lazy("refund reason", "Charged twice")
    OTHER = "other", pgettext_lazy("refund reason", "Other (see the note)")


# Reasons a service's fee item may name in `refund_when`: the rules apply them without anyone deciding.
RULE_REFUND_REASONS = (RefundReason.REFUSED, RefundReason.WITHDRAWN)


class RefundStatus(models.TextChoices):
    REQUESTED = (
        "requested",
        pgettext_lazy("refund status", "Requested"),
    )  # asked of the provider; money not back yet
    SUCCEEDED = (
        "succeeded",
        pgettext_lazy("refund status", "Refunded"),
    )  # a verified notification: the money is back
    FAILED = (
        "failed",
        pgettext_lazy("refund status", "Refund failed"),
    )  # the provider refused; staff may request again


REFUND_TRANSITIONS: dict[str, set[str]] = {
    RefundStatus.REQUESTED: {RefundStatus.SUCCEEDED, RefundStatus.FAILED},
    RefundStatus.SUCCEEDED: set(),
    RefundStatus.FAILED: set(),
}
# A refund in these states counts against what is left of its payment.
REFUND_HOLDING_STATUSES = (RefundStatus.REQUESTED, RefundStatus.SUCCEEDED)


class EnquiryKind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")  # 咨询
    COMPLAINT = "complaint", _("Complaint")  # 投诉
    SUGGESTION = "suggestion", _("Suggestion")  # 建议


class EnquiryStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("enquiry status", "Received")  # waiting for the department
    ANSWERED = "answered", _("Answered")  # the answer is visible by tracking number


class ArticleKind(models.TextChoices):
    NEWS = "news", _("News")
    POLICY = "policy", _("Policy release")
    ANNOUNCEMENT = "announcement", _("Announcement")
    PUBLICATION = "publication", _("Statistics and publications")


class Widget(models.TextChoices):
    """Blocks a signed-in user may put on their personal home page, in the order they choose."""

    APPLICATIONS = "applications", _("My applications")
    MESSAGES = "messages", _("Messages")
    PAYMENTS = "payments", _("Payments")
    SAVED = "saved", _("Saved services")
    RECOMMENDED = "recommended", _("Recommended for me")
    SUBSCRIPTIONS = "subscriptions", _("Subscriptions")
    ENQUIRIES = "enquiries", _("My consultations and complaints")


DEFAULT_WIDGETS = [Widget.APPLICATIONS, Widget.MESSAGES, Widget.RECOMMENDED, Widget.SAVED, Widget.PAYMENTS]

# ALL Art 42/45: 20 working days for one department, 45 for joint processing (ALL Art 82: working days).
LEGAL_LIMIT_SINGLE = 20
LEGAL_LIMIT_JOINT = 45
# ALL Art 32: the applicant must be told every missing item within 5 days, otherwise it counts as accepted.
ACCEPTANCE_LIMIT = 5
# Service commitment for answering a consultation or complaint (working days).
ENQUIRY_ANSWER_LIMIT = 5
