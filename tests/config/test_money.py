"""Amounts in capitals (人民币大写) as the PBoC's rules write them: one 零 for a run of zeros, 整
after 元, 壹拾 not 拾."""

from decimal import Decimal

import pytest

from config.money import amount_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("486000.00", "人民币肆拾捌万陆仟元整"),
        ("472500.00", "人民币肆拾柒万贰仟伍佰元整"),
        ("1284500.00", "人民币壹佰贰拾捌万肆仟伍佰元整"),
        ("10.00", "人民币壹拾元整"),
        ("15.00", "人民币壹拾伍元整"),
        ("1010.00", "人民币壹仟零壹拾元整"),
        ("1001.00", "人民币壹仟零壹元整"),
        ("100000001.00", "人民币壹亿零壹元整"),
        ("1000010000.00", "人民币壹拾亿零壹万元整"),
        ("105000.00", "人民币壹拾万零伍仟元整"),
        ("1680.32", "人民币壹仟陆佰捌拾元叁角贰分"),
        ("100.05", "人民币壹佰元零伍分"),
        ("100.50", "人民币壹佰元伍角"),
        ("0.50", "人民币伍角"),
        ("0.05", "人民币伍分"),
        ("0", "人民币零元整"),
        ("325.046", "人民币叁佰贰拾伍元零伍分"),
    ],
)
def test_capital_form(amount, words):
    assert amount_in_words(Decimal(amount)) == words


@pytest.mark.parametrize("amount", ["-1.00", "1e16", "abc"])
def test_refuses_what_is_not_an_amount_in_range(amount):
    with pytest.raises(ValueError):
        amount_in_words(amount)
