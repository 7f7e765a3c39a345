"""Chinese search without a segmenter: text is indexed as overlapping character bigrams by the
platform's one tokenizer (config/bigrams.py), so 婚姻登记 matches "婚姻", "登记" and "姻登" alike.
Latin words are kept whole and lower-cased (a query word matches as a prefix). Works the same on
SQLite and PostgreSQL: the tokens are stored space-separated in a text column and matched with
`contains`.

Shared: any app may index its own rows with `index_text` and filter with `bigram_filter`."""

import re

from django.db.models import Q

from config.bigrams import CJK as _CJK
from config.bigrams import bigrams, normalise

_WORD = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    """The bigrams of every run of Chinese characters (a lone character stands for itself) and the Latin words."""
    text = normalise(text)
    found = [token for run in _CJK.findall(text) for token in bigrams(run)]
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
