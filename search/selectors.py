"""Reading what administrators set and people searched."""

from search.models import SearchCount, SynonymGroup

# A query is offered to others only after this many searches that found something.
POPULAR_MIN_COUNT = 3


def synonym_groups(*, scope: str) -> list[list[str]]:
    """The synonym groups used in `scope` (those for every scope included)."""
    rows = SynonymGroup.objects.filter(scope__in=["", scope]).values_list("words", flat=True)
    from search.engine import synonym_words

    return [words for words in (synonym_words(row) for row in rows) if len(words) > 1]


def popular_searches(*, scope: str, limit: int = 8) -> list[str]:
    return list(
        SearchCount.objects.filter(scope=scope, hidden=False, count__gte=POPULAR_MIN_COUNT)
        .order_by("-count", "query")
        .values_list("query", flat=True)[:limit]
    )
