"""Evaluation's kinds and states, and the numbers the rules fix (../shared/RULES.md "Evaluation")."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class RelationshipKind(models.TextChoices):
    """A tie to a supplier that excludes the expert from its tenders (GPLR Art 9)."""

    EMPLOYMENT = "employment", _("Employment")
    DIRECTORSHIP = "directorship", _("Director or supervisor")
    SHAREHOLDING = "shareholding", _("Controlling shareholder or actual controller")
    FAMILY = "family", _("Family tie with the legal representative or head")


class MemberKind(models.TextChoices):
    EXPERT = "expert", _("Expert from the pool")
    BUYER_REPRESENTATIVE = "buyer_rep", _("Buyer's representative")


class MemberState(models.TextChoices):
    # Drawn and told (mail); the expert has not answered yet.
    INVITED = "invited", _("Invited")
    # Accepted the invitation; sits on the committee.
    CONFIRMED = "confirmed", _("Confirmed")
    # Declined; one replacement was drawn the same way.
    DECLINED = "declined", _("Declined")


class DrawPurpose(models.TextChoices):
    COMMITTEE = "committee", _("Committee")
    REPLACEMENT = "replacement", _("Replacement for a decline")


class ExclusionReason(models.TextChoices):
    """Why a pool member with the speciality and region is not a candidate (kept private)."""

    UNAVAILABLE = "unavailable", _("Not available")
    EMPLOYMENT = "employment", _("Employed by a bidder within 3 years")
    DIRECTORSHIP = "directorship", _("Director or supervisor of a bidder within 3 years")
    SHAREHOLDING = "shareholding", _("Shareholder or controller of a bidder within 3 years")
    FAMILY = "family", _("Family tie with a bidder's legal representative")
    BUYER_STAFF = "buyer_staff", _("Staff of the buyer")
    OPENING = "opening", _("Took part in the opening")
    ALREADY_DRAWN = "already_drawn", _("Already drawn for this tender")


class FlagKind(models.TextChoices):
    ABNORMALLY_LOW = "abnormally_low", _("Price far below the others")
    SAME_SIGNER = "same_signer", _("The same signer across bidders")
    SAME_ATTACHMENT = "same_attachment", _("Identical attachments")
    SAME_CONTACT = "same_contact", _("The same contact details in bid forms")
    PRICE_PATTERN = "price_pattern", _("Prices in a regular pattern")
    SAME_ADDRESS = "same_address", _("Bids from the same network address")


# A relationship that ended more than this many years ago no longer excludes (GPLR Art 9).
CONFLICT_YEARS = 3
# Committee size: odd, at least 5; at least 7 from this budget (BL Art 37, MOF87 Art 47).
SMALL_COMMITTEE, LARGE_COMMITTEE = 5, 7
LARGE_BUDGET = Decimal("10000000.00")
# The method's own minimum of compliant bids (MOF87 Art 43).
MINIMUM_COMPLIANT_BIDS = 3
# SME deduction bounds for goods and services (财库〔2020〕46号, 财库〔2022〕19号), percent.
SME_DEDUCTION_MAX = Decimal("20")
# Defaults of a tender's evaluation settings.
DEFAULT_LOW_PRICE_MARGIN = Decimal("20")  # percent below the mean of the other valid prices
DEFAULT_JUSTIFICATION_HOURS = 24
