"""A tender's evaluation settings: fixed with the tender documents, so only while it is a draft
(a deduction or a committee size chosen after the bids are known would favour someone)."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from config.exceptions import NotAllowed, NotFound
from evaluation.constants import SME_DEDUCTION_MAX
from evaluation.exceptions import EvaluationError
from evaluation.models import EvaluationSettings
from evaluation.selectors import committee_shape
from tenders.constants import TenderStatus
from tenders.models import Tender
from tenders.permissions import is_tender_officer


def _percent(value: Any, *, low: Decimal, high: Decimal, name: Any) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise EvaluationError(_("%(name)s is a number.") % {"name": name}) from None
    if not low <= number <= high:
        raise EvaluationError(
            _("%(name)s is between %(low)s and %(high)s.") % {"name": name, "low": low, "high": high}
        )
    return number


@transaction.atomic
def evaluation_settings_save(
    *,
    tender_id: int,
    by: User,
    sme_deduction: Any = "0",
    reserved_for_sme: bool = False,
    complex_project: bool = False,
    buyer_representatives: int = 0,
    low_price_margin: Any = "20",
    justification_hours: int = 24,
) -> EvaluationSettings:
    """Before: `by` is an officer of the tender's buyer or agency; the tender is a draft. A deduction
    is 0 or 10–20% (goods and services) and none when the tender is reserved for SMEs; the buyer's
    representatives fit in the committee (at most a third). After: the settings are saved."""
    tender = Tender.objects.select_for_update().filter(pk=tender_id).first()
    if tender is None:
        raise NotFound()
    if not is_tender_officer(user=by, tender=tender):
        raise NotAllowed(_("Only the tender's officers may change its evaluation settings."))
    if tender.status != TenderStatus.DRAFT:
        raise EvaluationError(
            _("Evaluation settings are fixed with the tender documents: only a draft can change them.")
        )
    deduction = _percent(
        sme_deduction, low=Decimal(0), high=SME_DEDUCTION_MAX, name=_("The SME price deduction")
    )
    if deduction and (reserved_for_sme or deduction < Decimal(10)):
        raise EvaluationError(
            _(
                "The SME price deduction is 10% to 20%, and none for a tender reserved for small and micro enterprises."
            )
        )
    if int(buyer_representatives) < 0:
        raise EvaluationError(_("The number of buyer's representatives is a whole number."))
    values: dict[str, Any] = {
        "sme_deduction": deduction,
        "reserved_for_sme": reserved_for_sme,
        "complex_project": complex_project,
        "buyer_representatives": int(buyer_representatives),
        "low_price_margin": _percent(
            low_price_margin, low=Decimal(1), high=Decimal(90), name=_("The low price margin")
        ),
        "justification_hours": int(justification_hours),
    }
    if values["justification_hours"] < 1:
        raise EvaluationError(_("Give at least one hour to justify a low price."))
    candidate = EvaluationSettings(tender=tender, **values)
    committee_shape(tender, candidate)  # refuses too many buyer's representatives
    settings, _created = EvaluationSettings.objects.update_or_create(tender=tender, defaults=values)
    return settings
