"""Helpers the award services share: the locked tender and the officer check."""

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from awards.exceptions import NotAwardOfficer
from config.exceptions import NotFound
from tenders.models import Tender
from tenders.permissions import is_tender_officer


def tender_locked(tender_id: int) -> Tender:
    tender = Tender.objects.select_for_update().filter(pk=tender_id).first()
    if tender is None:
        raise NotFound()
    return tender


def require_officer(user: User, tender: Tender) -> None:
    if not is_tender_officer(user=user, tender=tender):
        raise NotAwardOfficer(_("Only the officers of the tender's buyer or agency decide its award."))
