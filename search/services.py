"""Counting searches for the popular-searches list."""

import re

from django.db import IntegrityError, transaction
from django.db.models import F

from config.clock import now
from search.models import SearchCount

# What could be personal is never counted: long queries, e-mail addresses and runs of digits
# (ID, telephone and account numbers).
_PERSONAL = re.compile(r"@|\d{4,}")
MAX_COUNTED_LENGTH = 20


def search_count(*, scope: str, query: str) -> None:
    """Count one search that found something (not searches that found nothing, not personal data)."""
    query = " ".join(query.split())
    if not query or len(query) > MAX_COUNTED_LENGTH or _PERSONAL.search(query):
        return
    moment = now()
    updated = SearchCount.objects.filter(scope=scope, query=query).update(
        count=F("count") + 1, last_searched_at=moment
    )
    if not updated:
        try:
            with transaction.atomic():
                SearchCount.objects.create(scope=scope, query=query, count=1, last_searched_at=moment)
        except IntegrityError:  # another request counted it first
            SearchCount.objects.filter(scope=scope, query=query).update(
                count=F("count") + 1, last_searched_at=moment
            )
