"""The evaluation's arithmetic, with no database (docs/evaluation.md has a worked example).

- Evaluated price: the bid price less the small-and-micro deduction when the supplier declared
  itself small or micro and the tender sets a deduction (never for tenders reserved for them):
  evaluated = price × (100 − d) / 100, to the fen (half up). The contract price stays the bid price.
- Price score (comprehensive scoring, MOF87 Art 55): benchmark = the lowest evaluated price among
  valid bids; score = benchmark / evaluated price × price weight, to 0.01 (half up).
- Ranking, comprehensive scoring: total score, higher first; equal totals by bid price, lower first;
  equal again by the non-price (technical) score, higher first; equal in all three share a rank.
- Ranking, lowest evaluated price (MOF87 Art 54): evaluated price, lower first; equal prices share."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
SME_CLASSES = frozenset({"small", "micro"})


def evaluated_price(
    price: Decimal, *, size_class: str, deduction: Decimal, reserved_for_sme: bool
) -> Decimal:
    if reserved_for_sme or size_class not in SME_CLASSES or not deduction:
        return price.quantize(CENT, ROUND_HALF_UP)
    return (price * (Decimal(100) - deduction) / Decimal(100)).quantize(CENT, ROUND_HALF_UP)


def price_scores(evaluated: dict[int, Decimal], *, weight: Decimal) -> dict[int, Decimal]:
    """{bid key: price score} for the valid bids' evaluated prices."""
    if not evaluated:
        return {}
    benchmark = min(evaluated.values())
    return {
        key: (benchmark / price * weight).quantize(CENT, ROUND_HALF_UP) for key, price in evaluated.items()
    }


@dataclass(frozen=True)
class Ranked:
    key: int
    rank: int


def _ranks(keys_in_order: list[int], sort_key) -> list[Ranked]:
    ranked, previous, rank = [], None, 0
    for position, key in enumerate(keys_in_order, 1):
        current = sort_key(key)
        if current != previous:
            rank, previous = position, current
        ranked.append(Ranked(key, rank))
    return ranked


def rank_comprehensive(rows: Iterable[tuple[int, Decimal, Decimal, Decimal]]) -> list[Ranked]:
    """rows: (key, total score, bid price, non-price score)."""
    table = {key: (-total, price, -technical) for key, total, price, technical in rows}
    order = sorted(table, key=lambda k: (table[k], k))
    return _ranks(order, table.get)


def rank_lowest_price(rows: Iterable[tuple[int, Decimal]]) -> list[Ranked]:
    """rows: (key, evaluated price)."""
    table = dict(rows)
    order = sorted(table, key=lambda k: (table[k], k))
    return _ranks(order, table.get)


def abnormally_low(prices: dict[int, Decimal], *, margin: Decimal) -> dict[int, Decimal]:
    """Bids whose price is below the mean of the other valid prices by more than `margin` percent
    (MOF87 Art 60 asks for a written justification): {key: that mean}."""
    found = {}
    for key, price in prices.items():
        others = [p for k, p in prices.items() if k != key]
        if len(others) < 2:
            continue
        mean = sum(others, Decimal(0)) / len(others)
        if price < mean * (Decimal(100) - margin) / Decimal(100):
            found[key] = mean.quantize(CENT, ROUND_HALF_UP)
    return found
