"""Procurement: buyers' plans and the procurement methods with their rule sets."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class MethodCode(models.TextChoices):
    """The procurement methods of GPL Art 26 and BL Art 10."""

    OPEN_TENDER = "open_tender", _("Open tender")
    INVITATION = "invitation", _("Invitation tender")
    COMPETITIVE_NEGOTIATION = "competitive_negotiation", _("Competitive negotiation")
    COMPETITIVE_CONSULTATION = "competitive_consultation", _("Competitive consultation")
    ENQUIRY = "enquiry", _("Enquiry")
    SINGLE_SOURCE = "single_source", _("Single source")


class ProcurementMethod(models.Model):
    """A procurement method and its rule set (RULES.md "Publication and documents"): every period,
    threshold and percentage is a field an administrator may change; an empty period means the
    rule does not apply to this method. A tender records the rule set it was published under."""

    code = models.CharField(_("code"), max_length=32, unique=True, choices=MethodCode.choices)
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("in use"), default=True)
    # MOF87 Art 16: the tender notice stays up this many working days from first publication.
    notice_period_working_days = models.PositiveSmallIntegerField(
        _("notice period (working days)"), null=True, blank=True
    )
    # GPLR Art 31 / consultation measures Art 10: documents available at least this many working days.
    document_period_working_days = models.PositiveSmallIntegerField(
        _("documents available (working days)"), null=True, blank=True
    )
    # BLR Art 16 (works under BL): documents available at least this many calendar days.
    document_period_days = models.PositiveSmallIntegerField(
        _("documents available (days)"), null=True, blank=True
    )
    # BL Art 24, GPL Art 35 (20); consultation measures Art 10 (10): first issue of documents to the deadline.
    documents_to_deadline_days = models.PositiveSmallIntegerField(
        _("documents to deadline (days)"), null=True, blank=True
    )
    # MOF74 Arts 29, 45: negotiation and enquiry, documents to first response in working days.
    documents_to_deadline_working_days = models.PositiveSmallIntegerField(
        _("documents to deadline (working days)"), null=True, blank=True
    )
    # BL Art 23, BLR Art 21, GPLR Art 31 (15); consultation measures Art 10 (5): a clarification or
    # amendment later than this before the deadline moves the deadline out to restore it.
    clarification_min_days = models.PositiveSmallIntegerField(
        _("clarifications at least (days before the deadline)"), null=True, blank=True
    )
    # BLR Art 22: objections to the documents up to this many days before the deadline.
    objection_days_before_deadline = models.PositiveSmallIntegerField(
        _("objections up to (days before the deadline)"), null=True, blank=True
    )
    objection_answer_days = models.PositiveSmallIntegerField(
        _("objection answered within (days)"), null=True, blank=True
    )
    # BLR Art 26, GPLR Art 33.
    bid_security_max_percent = models.DecimalField(
        _("bid security at most (percent of budget)"), max_digits=5, decimal_places=2, default=2
    )
    # BLR Art 58, GPLR Art 48.
    performance_security_max_percent = models.DecimalField(
        _("performance security at most (percent of contract)"), max_digits=5, decimal_places=2, default=10
    )
    # MOF87 Art 55, comprehensive scoring.
    price_weight_min_goods_percent = models.DecimalField(
        _("price weight at least, goods (%)"), max_digits=5, decimal_places=2, default=30
    )
    price_weight_min_services_percent = models.DecimalField(
        _("price weight at least, services (%)"), max_digits=5, decimal_places=2, default=10
    )
    # BLR Art 44, MOF87 Arts 41, 43: fewer bids than this and the procurement fails.
    min_bids = models.PositiveSmallIntegerField(_("bids needed to open"), default=3)
    # GPLR Art 52: an enquiry (询问) is answered within this many working days.
    enquiry_answer_working_days = models.PositiveSmallIntegerField(
        _("questions answered within (working days)"), null=True, blank=True, default=3
    )
    updated_at = models.DateTimeField(auto_now=True)

    RULE_FIELDS = (
        "notice_period_working_days",
        "document_period_working_days",
        "document_period_days",
        "documents_to_deadline_days",
        "documents_to_deadline_working_days",
        "clarification_min_days",
        "objection_days_before_deadline",
        "objection_answer_days",
        "bid_security_max_percent",
        "performance_security_max_percent",
        "price_weight_min_goods_percent",
        "price_weight_min_services_percent",
        "min_bids",
        "enquiry_answer_working_days",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("procurement method")
        verbose_name_plural = _("procurement methods")

    def __str__(self) -> str:
        return self.name

    def rule_set(self) -> dict:
        """The rules as plain JSON data (decimals as strings) for a tender's snapshot."""
        rules: dict = {"method": self.code}
        for name in self.RULE_FIELDS:
            value = getattr(self, name)
            if value is not None and isinstance(self._meta.get_field(name), models.DecimalField):
                value = f"{Decimal(value):.2f}"
            rules[name] = value
        return rules


class PlanStatus(models.TextChoices):
    # The buyer is preparing the plan.
    DRAFT = "draft", _("Draft")
    # Submitted into an approval flow.
    IN_APPROVAL = "in_approval", _("In approval")
    # Approved: tenders may be drafted under it.
    APPROVED = "approved", _("Approved")
    # Sent back by an approver; the buyer may edit and resubmit.
    RETURNED = "returned", _("Returned")


PLAN_TRANSITIONS: dict[str, frozenset[str]] = {
    PlanStatus.DRAFT: frozenset({PlanStatus.IN_APPROVAL}),
    PlanStatus.RETURNED: frozenset({PlanStatus.IN_APPROVAL}),
    PlanStatus.IN_APPROVAL: frozenset({PlanStatus.APPROVED, PlanStatus.RETURNED}),
    PlanStatus.APPROVED: frozenset(),
}


class ProcurementPlan(models.Model):
    """A buyer's planned purchase for a budget year, approved before tenders are drafted under it."""

    buyer = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="procurement_plans",
        verbose_name=_("buyer"),
    )
    year = models.PositiveSmallIntegerField(_("budget year"))
    title = models.CharField(_("title"), max_length=200)
    category_code = models.CharField(_("category code"), max_length=32, blank=True)
    method = models.ForeignKey(
        ProcurementMethod,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("procurement method"),
    )
    budget = models.DecimalField(_("budget (CNY)"), max_digits=16, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("procurement plan")
        verbose_name_plural = _("procurement plans")

    def __str__(self) -> str:
        return f"{self.year} {self.title}"
