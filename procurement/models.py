"""Procurement: buyers' plans and the procurement methods with their rule sets."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from procurement.constants import GovernmentLevel, MethodApprovalStatus, MethodCode
from procurement.statute import articles_for, statute_for


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
    # GPLR Art 38, MOF74 Art 38: single source where the budget reaches the open-tender threshold:
    # the project and the sole supplier are publicised this many working days before it goes on.
    publicity_working_days = models.PositiveSmallIntegerField(
        _("single-source publicity (working days)"), null=True, blank=True
    )
    # BLR Art 22: objections to the documents up to this many days before the deadline.
    # MOF74 Art 10 (negotiation, enquiry): a clarification or amendment later than this many working
    # days before the first-response deadline moves that deadline out to restore it.
    clarification_min_working_days = models.PositiveSmallIntegerField(
        _("clarifications at least (working days before the deadline)"), null=True, blank=True
    )
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
    # 财库〔2015〕124号: competitive consultation may go on with this many where the tender declares
    # one of the cases the notice names (empty: no such cases for this method).
    min_bids_two_supplier_cases = models.PositiveSmallIntegerField(
        _("bids needed in the Caiku [2015] No. 124 cases"), null=True, blank=True
    )
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
        "clarification_min_working_days",
        "publicity_working_days",
        "objection_days_before_deadline",
        "objection_answer_days",
        "bid_security_max_percent",
        "performance_security_max_percent",
        "price_weight_min_goods_percent",
        "price_weight_min_services_percent",
        "min_bids",
        "min_bids_two_supplier_cases",
        "enquiry_answer_working_days",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("procurement method")
        verbose_name_plural = _("procurement methods")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Administrators may tighten a rule but never pass the statute (RULES.md): each refusal
        names the statutory bound and its article, beside its field."""
        super().clean()
        errors: dict[str, ValidationError] = {}
        for name, statute in statute_for(self.code).items():
            value = getattr(self, name, None)
            if statute.bound is None:
                continue
            article = statute.article.text()
            if value is None:
                if statute.required:
                    errors[name] = ValidationError(
                        _("The statute requires this rule for this method: at least %(bound)s (%(article)s).")
                        % {"bound": statute.bound, "article": article},
                        code="statute_required",
                    )
                continue
            if statute.floor and value < statute.bound:
                errors[name] = ValidationError(
                    _("Not below the statutory minimum of %(bound)s (%(article)s).")
                    % {"bound": statute.bound, "article": article},
                    code="statute_floor",
                )
            elif not statute.floor and value > statute.bound:
                errors[name] = ValidationError(
                    _("Not above the statutory maximum of %(bound)s (%(article)s).")
                    % {"bound": statute.bound, "article": article},
                    code="statute_ceiling",
                )
        if errors:
            raise ValidationError(errors)

    def rule_set(self) -> dict:
        """The rules as plain JSON data (decimals as strings) for a tender's snapshot, with the
        article that carries each rule for this method (`articles`: field → {"en", "zh"})."""
        rules: dict = {"method": self.code}
        for name in self.RULE_FIELDS:
            value = getattr(self, name)
            if value is not None and isinstance(self._meta.get_field(name), models.DecimalField):
                value = f"{Decimal(value):.2f}"
            rules[name] = value
        rules["articles"] = articles_for(self.code)
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


class OpenTenderThreshold(models.Model):
    """公开招标数额标准 (GPL Arts 27–28) as data: a budget at or above `amount` must use open tender
    unless the finance department approves another method. Per level of government, optionally for
    one kind (goods, services, works) or one category-code prefix; valid from a date, until a date
    (exclusive) or open-ended. The most specific valid row applies."""

    level = models.CharField(_("level of government"), max_length=16, choices=GovernmentLevel.choices)
    procurement_kind = models.CharField(
        _("goods, services or works (empty: all)"), max_length=16, blank=True
    )
    category_prefix = models.CharField(_("category code prefix (empty: all)"), max_length=32, blank=True)
    amount = models.DecimalField(_("threshold (CNY)"), max_digits=16, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until (exclusive)"), null=True, blank=True)
    source = models.CharField(_("source (the notice that sets it)"), max_length=200)

    class Meta:
        ordering = ["level", "-valid_from", "id"]
        verbose_name = _("open-tender threshold")
        verbose_name_plural = _("open-tender thresholds")

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.procurement_kind or '*'} {self.category_prefix or '*'} ≥ {self.amount}"


class MethodApproval(models.Model):
    """The finance department's approval of a method other than open tender for a budget at or above
    the threshold, or of a switch of method after a failed procurement (GPL Arts 27, 36–37; BLR
    Art 44). Goes through the approvals engine (flow `procurement-method-approval`, the regulator's
    approvers); a tender names the approval it relies on."""

    buyer = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="method_approvals", verbose_name=_("buyer")
    )
    title = models.CharField(_("project"), max_length=200)
    from_method = models.ForeignKey(
        ProcurementMethod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("method it replaces"),
    )
    method = models.ForeignKey(
        ProcurementMethod, on_delete=models.PROTECT, related_name="approvals", verbose_name=_("method requested")
    )
    budget = models.DecimalField(_("budget (CNY)"), max_digits=16, decimal_places=2)
    category_code = models.CharField(_("category code"), max_length=32, blank=True)
    # The failed tender whose re-run switches method (its reference), if any.
    rerun_of_reference = models.CharField(_("re-run of"), max_length=64, blank=True)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=16, choices=MethodApprovalStatus.choices, default=MethodApprovalStatus.IN_APPROVAL
    )
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("method approval")
        verbose_name_plural = _("method approvals")

    def __str__(self) -> str:
        return f"{self.title} → {self.method}"
