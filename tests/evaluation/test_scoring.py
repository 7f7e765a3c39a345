"""The evaluation's arithmetic against hand-worked examples (docs/evaluation.md)."""

from decimal import Decimal as D

from evaluation import scoring


def test_price_score_is_benchmark_over_price_times_weight():
    # Price weight 30; valid prices 480,000 / 495,000 / 510,000: benchmark 480,000.
    # 480000/480000×30 = 30.00; 480000/495000×30 = 29.0909… → 29.09; 480000/510000×30 = 28.2352… → 28.24.
    scores = scoring.price_scores({1: D("480000.00"), 2: D("495000.00"), 3: D("510000.00")}, weight=D("30"))
    assert scores == {1: D("30.00"), 2: D("29.09"), 3: D("28.24")}


def test_the_sme_deduction_changes_the_evaluated_price_only_for_small_and_micro_and_not_when_reserved():
    # A small enterprise's 510,000 with a 10% deduction is evaluated at 459,000 and becomes the benchmark:
    # 459000/480000×30 = 28.6875 → 28.69; 459000/495000×30 = 27.8181… → 27.82; its own 30.00.
    small = scoring.evaluated_price(
        D("510000.00"), size_class="small", deduction=D("10"), reserved_for_sme=False
    )
    assert small == D("459000.00")
    large = scoring.evaluated_price(
        D("480000.00"), size_class="large", deduction=D("10"), reserved_for_sme=False
    )
    assert large == D("480000.00")
    assert scoring.evaluated_price(
        D("510000.00"), size_class="micro", deduction=D("10"), reserved_for_sme=True
    ) == D("510000.00")
    scores = scoring.price_scores({1: large, 2: D("495000.00"), 3: small}, weight=D("30"))
    assert scores == {1: D("28.69"), 2: D("27.82"), 3: D("30.00")}


def test_ties_go_to_the_lower_price_then_the_higher_technical_score_then_share_a_rank():
    ranked = scoring.rank_comprehensive(
        [
            (1, D("85.00"), D("500000.00"), D("55.00")),
            (2, D("85.00"), D("480000.00"), D("55.00")),  # same total, lower price: ahead of 1
            (3, D("90.00"), D("520000.00"), D("62.00")),  # highest total
            (4, D("85.00"), D("500000.00"), D("55.00")),  # same as 1 in all three: shares its rank
            (5, D("85.00"), D("500000.00"), D("58.00")),  # same total and price as 1, better technical
        ]
    )
    assert [(r.key, r.rank) for r in ranked] == [(3, 1), (2, 2), (5, 3), (1, 4), (4, 4)]


def test_lowest_evaluated_price_ranks_by_price_with_equal_prices_sharing():
    ranked = scoring.rank_lowest_price([(1, D("500000.00")), (2, D("459000.00")), (3, D("500000.00"))])
    assert [(r.key, r.rank) for r in ranked] == [(2, 1), (1, 2), (3, 2)]


def test_a_price_far_below_the_others_is_flagged_against_their_mean():
    # Others' mean for bid 3: (500,000 + 520,000) / 2 = 510,000; 20% below is 408,000; 390,000 is under it.
    prices = {1: D("500000.00"), 2: D("520000.00"), 3: D("390000.00")}
    assert scoring.abnormally_low(prices, margin=D("20")) == {3: D("510000.00")}
    assert (
        scoring.abnormally_low({1: D("500000.00"), 2: D("520000.00"), 3: D("450000.00")}, margin=D("20"))
        == {}
    )
