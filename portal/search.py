"""Chinese search without a segmenter: text is indexed as overlapping character bigrams (the
approach of CJK full-text indexes such as Lucene's CJKAnalyzer), so 婚姻登记 matches "婚姻", "登记"
and "姻登" alike. Latin words are kept whole and lower-cased. Works the same on SQLite and PostgreSQL:
the bigrams are stored space-separated in a text column and matched with `icontains`.

Shared: any app may index its own rows with `index_text` and filter with `bigram_filter`."""

import re
import unicodedata

from django.db.models import Q

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+")


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def tokens(text: str) -> list[str]:
    """The bigrams of every run of Chinese characters (a lone character stands for itself) and the Latin words."""
    text = _normalise(text)
    found: list[str] = []
    for run in _CJK.findall(text):
        if len(run) == 1:
            found.append(run)
        else:
            found.extend(run[i : i + 2] for i in range(len(run) - 1))
    found.extend(_WORD.findall(_CJK.sub(" ", text)))
    return found


def index_text(*parts: str) -> str:
    """What to store in the search column: every token once, space-delimited at both ends."""
    seen: dict[str, None] = {}
    for part in parts:
        for token in tokens(part):
            seen.setdefault(token, None)
    return " " + " ".join(seen) + " " if seen else ""


def bigram_filter(field: str, query: str) -> Q | None:
    """A filter matching rows whose `field` holds every token of `query` (None for an empty query).

    A single Chinese character cannot be a whole bigram, so it is matched inside the tokens."""
    query_tokens = tokens(query)
    if not query_tokens:
        return None
    condition = Q()
    for token in dict.fromkeys(query_tokens):
        if _CJK.fullmatch(token):
            # a whole bigram, or a lone character found inside one
            needle = f" {token} " if len(token) == 2 else token
        else:
            needle = f" {token}"  # a Latin word matches as a word prefix: "marri" finds "marriage"
        condition &= Q(**{f"{field}__contains": needle})
    return condition


def score(query: str, indexed: str) -> int:
    """How many of the query's distinct tokens the indexed text holds (to order results)."""
    held = set(indexed.split())
    return sum(1 for token in dict.fromkeys(tokens(query)) if token in held)
