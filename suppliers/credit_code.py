"""The unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from a 31-character alphabet (digits and capitals without I, O, Z, S, V); the last
is a check character: weights 3^i mod 31, check = (31 - Σ value·weight mod 31) mod 31."""

from django.utils.translation import gettext_lazy as _

from config.exceptions import DomainError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_WEIGHTS = [
    pow(3, i, 31) for i in range(17)
]  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28


class InvalidCreditCode(DomainError):
    code = "invalid_credit_code"


def check_character(body: str) -> str:
    """The check character for the first 17 characters of a code."""
    total = sum(_VALUE[c] * w for c, w in zip(body, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_validate(code: str) -> str:
    """Return the code if valid; otherwise raise with a message that says what is wrong."""
    if len(code) != 18:
        raise InvalidCreditCode(
            _("A unified social credit code has 18 characters; this one has %(n)d.") % {"n": len(code)}
        )
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        raise InvalidCreditCode(
            _(
                "A unified social credit code cannot contain %(chars)s (I, O, Z, S, V and lower case are never used)."
            )
            % {"chars": " ".join(bad)}
        )
    if check_character(code[:17]) != code[17]:
        raise InvalidCreditCode(
            _(
                "The check character of this unified social credit code is wrong: please check every character."
            )
        )
    return code


def credit_code_is_valid(code: str) -> bool:
    try:
        credit_code_validate(code)
    except InvalidCreditCode:
        return False
    return True
