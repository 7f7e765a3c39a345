"""The unified social credit code check (GB 32100-2015): known-valid codes pass, and every
single-character corruption of them is refused with a message saying what is wrong."""

import pytest
from django.utils import translation

from suppliers.credit_code import ALPHABET, InvalidCreditCode, credit_code_is_valid, credit_code_validate

VALID = [
    "91350100M000100Y43",  # published example (Fujian)
    "91310000MA1FL1AB15",  # the demo suppliers
    "91110108MA01XYK129",
    "91440300MA5DC3QW8J",
    "11310000002419760H",  # demo buyer (a government body, category 1)
    "12310000425007581U",  # demo agency (an institution, category 1-2)
]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    assert credit_code_validate(code) == code


def _corruptions(code: str):
    for position in range(len(code)):
        for replacement in ALPHABET + "IOZSVa-":
            if replacement != code[position]:
                yield position, code[:position] + replacement + code[position + 1 :]


@pytest.mark.parametrize("code", VALID)
def test_every_single_character_corruption_is_refused(code):
    corruptions = list(_corruptions(code))
    assert len(corruptions) == 18 * (len(ALPHABET) - 1 + 7)
    accepted = [(pos, bad) for pos, bad in corruptions if credit_code_is_valid(bad)]
    assert accepted == []


def test_messages_say_what_is_wrong():
    with translation.override("en"), pytest.raises(InvalidCreditCode, match="18"):
        credit_code_validate("91350100M000100Y4")
    with translation.override("en"), pytest.raises(InvalidCreditCode, match="I"):
        credit_code_validate("91350100M000100I43")
    with translation.override("en"), pytest.raises(InvalidCreditCode, match="check character"):
        credit_code_validate("91350100M000100Y44")
    with translation.override("zh-hans"), pytest.raises(InvalidCreditCode, match="校验码"):
        credit_code_validate("91350100M000100Y44")
