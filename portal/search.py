"""Finding services with the platform's search engine (search/engine.py, docs/search.md): BM25
over the bigrams of a service's name, keywords and description, with the administrators' synonym
groups, "did you mean" and popular searches.

`index_text` still fills `Service.search_text` (every token once, space-delimited) so that a
service's words are visible and indexable in the database."""

from collections.abc import Hashable, Iterable

from portal.models import Service
from search.engine import Index, suggestion, synonym_words, terms
from search.models import Scope
from search.selectors import popular_searches, synonym_groups

# A word in the name counts three times, in the keywords twice.
FIELD_WEIGHTS = {"name": 3.0, "keywords": 2.0, "text": 1.0}


def tokens(text: str) -> list[str]:
    """The bigrams of every run of Chinese characters (a lone character stands for itself) and the Latin words."""
    return terms(text)


def index_text(*parts: str) -> str:
    """What to store in the search column: every token once, space-delimited at both ends."""
    seen: dict[str, None] = {}
    for part in parts:
        for token in tokens(part):
            seen.setdefault(token, None)
    return " " + " ".join(seen) + " " if seen else ""


def _fields(service: Service) -> dict[str, str]:
    categories = " ".join(f"{c.name} {c.name_en}" for c in service.categories.all())
    return {
        "name": f"{service.name} {service.name_en}",
        "keywords": service.keywords,
        "text": f"{service.summary} {categories} {service.department.name} {service.result_name}",
    }


def services_ranked(services: Iterable[Service], query: str) -> list[Service]:
    """The services that match `query` (or one of its synonym variants), best first."""
    by_pk: dict[Hashable, Service] = {service.pk: service for service in services}
    index = Index.of(((pk, _fields(s)) for pk, s in by_pk.items()), FIELD_WEIGHTS)
    hits = index.rank(query, synonym_groups(scope=Scope.SERVICES))
    return [by_pk[hit.key] for hit in hits]


def did_you_mean(query: str, results: list[Service]) -> str | None:
    """A better query when the query is not found as typed: a service name, a keyword, a synonym or
    a popular search that looks like it (婚因登记 → 婚姻登记)."""
    typed = "".join(query.split()).lower()
    if not typed or any(typed in "".join(_fields(s).values()).replace(" ", "").lower() for s in results[:3]):
        return None
    vocabulary: list[str] = []
    for service in Service.objects.filter(is_published=True).only("name", "keywords"):
        vocabulary.append(service.name)
        vocabulary += service.keywords.split()
    for group in synonym_groups(scope=Scope.SERVICES):
        vocabulary += group
    vocabulary += popular_searches(scope=Scope.SERVICES, limit=50)
    return suggestion(query, vocabulary)


__all__ = ["did_you_mean", "index_text", "services_ranked", "synonym_words", "tokens"]
