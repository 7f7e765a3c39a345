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


# The ranked fallback (docs/search.md): when no notice holds the query as typed, the notices that
# hold most of its bigrams, or of a synonym variant's, ranked by the platform's search engine.
FALLBACK_DRIVING_TOKENS = 4
FALLBACK_CANDIDATES = 200


def ranked_fallback(qs: QuerySet, query: str, *, limit: int) -> list:
    """Tenders of `qs` that hold at least half the bigrams of the query or of one of its synonym
    variants, best first (BM25 over title and text): what the exact search did not find."""
    from django.db.models import Count

    from search.engine import MIN_SHOULD_MATCH, Index, variants
    from search.models import Scope
    from search.selectors import synonym_groups
    from tenders.models import SearchToken, SearchTokenCount

    groups = synonym_groups(scope=Scope.NOTICES)
    candidates: dict[int, int] = {}
    for variant in variants(query, groups):
        pairs = sorted(tokens_of(variant.text))
        if not pairs:
            continue
        counts = dict(SearchTokenCount.objects.filter(token__in=pairs).values_list("token", "count"))
        driving = sorted(pairs, key=lambda token: (counts.get(token, 0), token))[:FALLBACK_DRIVING_TOKENS]
        needed = max(1, -(-len(driving) * MIN_SHOULD_MATCH // 1))
        rows = (
            SearchToken.objects.filter(token__in=driving, tender__in=qs.order_by().values("pk"))
            .values("tender_id")
            .annotate(held=Count("id"))
            .filter(held__gte=needed)
            .order_by("-held", "-tender_id")[:FALLBACK_CANDIDATES]
        )
        for row in rows:
            candidates[row["tender_id"]] = max(candidates.get(row["tender_id"], 0), row["held"])
    if not candidates:
        return []
    tenders = {t.pk: t for t in qs.filter(pk__in=list(candidates)).order_by()}
    index = Index.of(
        ((pk, {"title": t.title, "text": t.search_text}) for pk, t in tenders.items()),
        {"title": 3.0, "text": 1.0},
    )
    return [tenders[hit.key] for hit in index.rank(query, groups)[:limit]]


def suggestion_for(query: str) -> str | None:
    """ "Did you mean": a synonym word or popular notice search that looks like the query."""
    from search.engine import suggestion
    from search.models import Scope
    from search.selectors import popular_searches, synonym_groups

    vocabulary = [word for group in synonym_groups(scope=Scope.NOTICES) for word in group]
    return suggestion(query, vocabulary + popular_searches(scope=Scope.NOTICES, limit=50))
