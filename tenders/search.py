"""Full-text search that works for Chinese on SQLite and PostgreSQL (docs/search.md).

Text is normalised (NFKC, lower case) and cut into runs of letters and digits; each run gives
its character bigrams (a run of one character gives that character). A public tender's distinct
tokens go into `SearchToken` (B-tree indexed on (token, tender)). A query term must have all its
bigrams in the tender's tokens, and then the whole term must occur in `Tender.search_text`: the
tokens narrow the candidates through the index, the substring check makes a phrase match exact."""

import re
import unicodedata
from collections.abc import Iterable

from django.db.models import QuerySet

# Runs of letters and digits in any script; everything else (spaces, punctuation) separates.
_RUN = re.compile(r"[^\W_]+", re.UNICODE)
# How much of a long description goes into the index: notices put the essentials first.
INDEXED_DESCRIPTION_CHARS = 2000
# A term's bigrams beyond this many add little selectivity and cost a join each.
MAX_TOKENS_PER_TERM = 4


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def runs(text: str) -> list[str]:
    return _RUN.findall(normalise(text))


def tokens_of(text: str) -> set[str]:
    """The distinct bigrams (and lone characters) of `text`."""
    found: set[str] = set()
    for run in runs(text):
        if len(run) == 1:
            found.add(run)
        else:
            found.update(run[i : i + 2] for i in range(len(run) - 1))
    return found


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


def _term_tokens(term: str) -> list[str]:
    if len(term) == 1:
        return []
    bigrams = list(dict.fromkeys(term[i : i + 2] for i in range(len(term) - 1)))
    if len(bigrams) <= MAX_TOKENS_PER_TERM:
        return bigrams
    # Spread the chosen bigrams over the term (first, last, and between) for selectivity.
    step = (len(bigrams) - 1) / (MAX_TOKENS_PER_TERM - 1)
    return list(dict.fromkeys(bigrams[round(i * step)] for i in range(MAX_TOKENS_PER_TERM)))


def filter_by_query(qs: QuerySet, query: str) -> QuerySet:
    """Tenders of `qs` whose text contains every term of `query`."""
    from tenders.models import SearchToken

    for term in query_terms(query):
        for token in _term_tokens(term):
            qs = qs.filter(pk__in=SearchToken.objects.filter(token=token).values("tender_id"))
        qs = qs.filter(search_text__contains=term)
    return qs


def token_rows(tender_id: int, text: str) -> Iterable[tuple[int, str]]:
    return ((tender_id, token) for token in sorted(tokens_of(text)))
