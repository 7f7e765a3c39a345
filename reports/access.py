"""Who may read a private signed document: the app that owns the document's subject registers a
rule for its `subject_ref` prefix (portal registers "portal.application"). reports sits above the
domain apps and imports none of them; they call down into it here."""

from collections.abc import Callable
from typing import Any

from reports.models import SignedDocument

# subject_ref prefix (before ":") → rule(user, rest of the subject_ref) → may that user read it?
_readers: dict[str, Callable[[Any, str], bool]] = {}


def document_reader_register(prefix: str, rule: Callable[[Any, str], bool]) -> None:
    _readers[prefix] = rule


def document_readable(*, user: Any, document: SignedDocument) -> bool:
    """A public document: everyone. A private one: a signed-in user its subject's rule admits;
    nobody when no rule is registered (fail closed)."""
    if document.public:
        return True
    if user is None or not user.is_authenticated:
        return False
    prefix, _sep, rest = document.subject_ref.partition(":")
    rule = _readers.get(prefix)
    return bool(rule and rule(user, rest))
