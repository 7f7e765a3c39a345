"""Refusals of the public ledger's reads (proof requests that name sizes or entries it lacks)."""

from django.utils.translation import gettext_lazy as _

from config.exceptions import DomainError, NotFound


class EntryNotFound(NotFound):
    code = "entry_not_found"

    def __init__(self) -> None:
        super().__init__(_("There is no ledger entry with that index or leaf hash."))


class SizeBeyondTree(DomainError):
    """A tree size larger than the ledger has grown to (so no root or proof exists for it yet)."""

    code = "size_beyond_tree"

    def __init__(self, *, size: int, tree_size: int) -> None:
        super().__init__(
            _("The ledger has %(tree_size)s entries; there is no tree of size %(size)s yet.")
            % {"tree_size": tree_size, "size": size}
        )


class IndexOutsideTree(DomainError):
    code = "index_outside_tree"

    def __init__(self, *, index: int, size: int) -> None:
        super().__init__(
            _("Entry %(index)s is not in the tree of size %(size)s (indexes start at 0).")
            % {"index": index, "size": size}
        )


class SizesReversed(DomainError):
    code = "sizes_reversed"

    def __init__(self) -> None:
        super().__init__(_("The first tree size must not be larger than the second."))
