"""Amounts in CNY as the law writes them: the Chinese capital form (人民币大写) that cheques,
contracts, read-outs and award notices carry beside the figures, following the People's Bank of
China's rules for writing amounts (《支付结算办法》附一《正确填写票据和结算凭证的基本规定》):
壹贰叁…玖 with 拾佰仟万亿, one 零 for a run of zeros, 整 after 元 when there is no 角 or 分.

A template builtin (settings TEMPLATES "builtins"): `{{ amount|cny_words }}`."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

DIGITS = "零壹贰叁肆伍陆柒捌玖"
GROUP_UNITS = ("", "万", "亿", "万亿")
LIMIT = Decimal(10) ** 16  # up to 万亿: far above any procurement


def _group(value: int) -> str:
    """1..9999 in capitals, with 零 for inner zeros (not for leading or trailing ones)."""
    out, zero = "", False
    for place, unit in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        digit = value // place % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += DIGITS[digit] + unit
    return out


def _integer(value: int) -> str:
    groups = []
    while value:
        groups.append(value % 10000)
        value //= 10000
    # 零 where zeros separate two written groups: a skipped group, the higher group's trailing zeros
    # (壹拾万零伍仟) or this group's leading ones (壹万零伍佰).
    out, gap = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            gap = bool(out)
            continue
        if out and (gap or group < 1000):
            out += "零"
        out += _group(group) + GROUP_UNITS[index]
        gap = group % 10 == 0
    return out


def amount_in_words(amount: Decimal | str | int) -> str:
    """`Decimal("486000.00")` → "人民币肆拾捌万陆仟元整"; rounds to the fen. Raises ValueError for a
    negative amount, one of 10¹⁶ or more, or something that is not a number."""
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValueError(f"not an amount: {amount!r}") from None
    if value < 0 or value >= LIMIT:
        raise ValueError(f"amount out of range: {amount!r}")
    fen_total = int(value * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    words = _integer(yuan)
    if yuan:
        words += "元"
    if not jiao and not fen:
        return "人民币" + (words or "零元") + "整"
    if jiao:
        words += DIGITS[jiao] + "角"
    elif yuan:
        words += "零"  # 壹佰元零伍分
    if fen:
        words += DIGITS[fen] + "分"
    return "人民币" + words


@register.filter
def cny_words(amount: Decimal | str | int | None) -> str:
    """The capital form of an amount, or "" for none or something that is not an amount."""
    if amount is None or amount == "":
        return ""
    try:
        return amount_in_words(amount)
    except ValueError:
        return ""
