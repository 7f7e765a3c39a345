"""Full-text search that works for Chinese on SQLite and PostgreSQL (docs/search.md).

Text is normalised (NFKC, lower case) and cut into runs of letters and digits; each run gives
its character bigrams (a run of one character gives that character). A public tender's distinct
tokens go into `SearchToken` (B-tree indexed on (token, tender)). A query term must have all its
bigrams in the tender's tokens, and then the whole term must occur in `Tender.search_text`: the
tokens narrow the candidates through the index, the substring check makes a phrase match exact."""

from collections.abc import Iterable

from django.db.models import QuerySet, Value
from django.db.models.functions import StrIndex

# The one tokenizer, shared with the portal's search.
from config.bigrams import bigrams, runs, tokens_of

# How much of a long description goes into the index: notices put the essentials first.
INDEXED_DESCRIPTION_CHARS = 2000
# The search starts from a term's two rarest bigrams (by `SearchTokenCount`); when the rarest has
# at most this many tenders their ids are fetched first and the tenders looked up by primary key,
# otherwise the database walks the tenders in the page's order and checks the tokens of each.
CANDIDATE_LIMIT = 5000


def tender_search_text(tender) -> str:
    """What a tender is found by: title, reference, buyer and agency, category and region codes,
    lot titles and the beginning of the requirements. Runs are joined by a space so a phrase
    never matches across two fields."""
    parts: list[str] = [tender.title, tender.reference, tender.category_code, tender.region]
    if tender.buyer_id:
        parts.append(tender.buyer.name)
    if tender.agency_id:
        parts.append(tender.agency.name)
    if tender.pk:
        parts += [lot.title for lot in tender.lots.all()]
    parts.append((tender.description or "")[:INDEXED_DESCRIPTION_CHARS])
    return " ".join(" ".join(runs(p)) for p in parts if p)


def query_terms(query: str) -> list[str]:
    """The terms of a query: runs of letters and digits (a phrase with punctuation inside is
    matched run by run)."""
    seen: list[str] = []
    for run in runs(query):
        if run not in seen:
            seen.append(run)
    return seen[:8]


def _rarest_tokens(term: str) -> list[str]:
    """The term's two rarest bigrams (none for a one-character term)."""
    from tenders.models import SearchTokenCount

    pairs = list(dict.fromkeys(bigrams(term))) if len(term) > 1 else []
    counts = dict(SearchTokenCount.objects.filter(token__in=pairs).values_list("token", "count"))
    return sorted(pairs, key=lambda token: counts.get(token, 0))[:2]


def filter_by_query(qs: QuerySet, query: str, *, newest_first: bool = False) -> QuerySet:
    """Tenders of `qs` whose text contains every term of `query`, checked exactly against the text.

    Newest first (the list's default order): the rarest bigram of all the terms drives the query,
    its postings read newest first from the (token, published_at, tender) index, so the database
    stops after a page of matches. Other orders: each term's two rarest bigrams give candidate ids
    (when few), or narrow through the token index."""
    from tenders.models import SearchToken

    terms = query_terms(query)
    if newest_first:
        driver = _rarest_of(terms)
        if driver:
            # Only the index's own order (token, published_at): a tie-breaker on the tender id would
            # make the database sort every match instead of stopping after a page.
            qs = qs.filter(search_tokens__token=driver).order_by("-search_tokens__published_at")
        for n, term in enumerate(terms):
            # STRPOS/INSTR rather than LIKE: the planner guesses a LIKE '%…%' matches almost nothing
            # and would scan every tender; for a position test it assumes many match, and so reads
            # the driving token's postings in index order and stops after a page.
            qs = qs.alias(**{f"term_{n}": StrIndex("search_text", Value(term))}).filter(
                **{f"term_{n}__gt": 0}
            )
        return qs
    for term in terms:
        rarest = _rarest_tokens(term)
        if rarest:
            postings = [
                SearchToken.objects.filter(token=token).values_list("tender_id", flat=True)
                for token in rarest
            ]
            candidates = postings[0].intersection(*postings[1:]) if len(postings) > 1 else postings[0]
            ids = list(candidates[: CANDIDATE_LIMIT + 1])
            if len(ids) <= CANDIDATE_LIMIT:
                qs = qs.filter(pk__in=ids)
            else:
                for posting in postings:
                    qs = qs.filter(pk__in=posting)
        qs = qs.filter(search_text__contains=term)
    return qs


def _rarest_of(terms: list[str]) -> str | None:
    from tenders.models import SearchTokenCount

    pairs = list(dict.fromkeys(token for t in terms if len(t) > 1 for token in bigrams(t)))
    if not pairs:
        return None
    counts = dict(SearchTokenCount.objects.filter(token__in=pairs).values_list("token", "count"))
    return min(pairs, key=lambda token: counts.get(token, 0))


def search_token_counts_refresh() -> int:
    """Recount the tenders of every token (a periodic job); returns the number of tokens."""
    from django.db import connection, transaction

    from tenders.models import SearchToken, SearchTokenCount

    with transaction.atomic():
        SearchTokenCount.objects.all().delete()
        with connection.cursor() as cursor:
            # Table names come from the models, never from input.
            counts, tokens = SearchTokenCount._meta.db_table, SearchToken._meta.db_table
            cursor.execute(
                f"INSERT INTO {counts} (token, count) SELECT token, COUNT(*) FROM {tokens} GROUP BY token"  # noqa: S608 - table names from the models
            )
        return SearchTokenCount.objects.count()


def token_rows(tender_id: int, text: str) -> Iterable[tuple[int, str]]:
    return ((tender_id, token) for token in sorted(tokens_of(text)))
