"""Real-name checks: citizen ID numbers by GB 11643-1999 and enterprise users bound to their verified
supplier record.

A citizen identity number (公民身份号码) is 18 characters: a 6-digit address code (GB/T 2260; its first
two digits the province), the birth date YYYYMMDD, a 3-digit sequence (odd for men) and a check
character computed by ISO 7064 MOD 11-2 ("X" stands for 10)."""

from datetime import date

from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from config import clock
from config.exceptions import DomainError
from ledger.privacy import ID_CHECK, ID_WEIGHTS  # the same MOD 11-2 the ledger's privacy screen uses

# Province-level prefixes of GB/T 2260 (including Taiwan, Hong Kong and Macao, whose residents hold
# numbers beginning 71, 81, 82 on residence permits).
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71", "81", "82",
    }
)  # fmt: skip
EARLIEST_BIRTH = date(1900, 1, 1)


def id_check_character(first17: str) -> str:
    """The check character of the first 17 digits (ISO 7064 MOD 11-2)."""
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_number_problem(value: str) -> str | None:
    """What is wrong with an ID number, in the user's language; None when it is a valid one.

    Checked in order, so the message names the first thing to correct: length and characters,
    the region code, the birth date, then the check character."""
    value = (value or "").strip().upper()
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return _("An ID number has 18 characters: 17 digits and a last digit or X.")
    if value[:2] not in PROVINCE_CODES or value[2:6] == "0000":
        return _("The first six digits of this ID number are not a region code. Check the number.")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return _("Digits 7 to 14 of this ID number are not a valid date of birth. Check the number.")
    if not EARLIEST_BIRTH <= born <= clock.today_local():
        return _("Digits 7 to 14 of this ID number are not a valid date of birth. Check the number.")
    if id_check_character(value[:17]) != value[17]:
        return _(
            "The last character of this ID number does not match the others (GB 11643 check digit). "
            "Check the number on the ID card."
        )
    return None


def id_number_normal(value: str) -> str:
    return (value or "").strip().upper()


class EnterpriseNotVerified(DomainError):
    code = "enterprise_not_verified"


def enterprise_binding_check(*, user: User, organisation: Organisation) -> None:
    """An enterprise application is made by a member of the enterprise whose supplier record the
    platform has verified (its credit code checked, its licence seen). Raise otherwise."""
    from accounts.selectors import memberships_of
    from suppliers.constants import VerificationStatus

    if not memberships_of(user=user).filter(organisation=organisation).exists():
        raise EnterpriseNotVerified(_("You do not act for this enterprise."))
    supplier = getattr(organisation, "supplier", None)
    if supplier is None or supplier.verification_status != VerificationStatus.VERIFIED:
        raise EnterpriseNotVerified(
            _(
                "This enterprise's registration has not been verified yet, so it cannot apply online. "
                "Complete the enterprise registration and wait for its verification."
            )
        )


def enterprise_of(*, user: User) -> Organisation | None:
    """The enterprise an enterprise account acts for (its supplier organisation), if any."""
    from accounts.constants import Role
    from accounts.selectors import organisations_where

    return organisations_where(user=user, roles=[Role.SUPPLIER_ADMIN, Role.SUPPLIER_STAFF]).first()
