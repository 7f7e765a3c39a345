"""Where other apps plug into publication without tenders importing them.

`bidding` (the sealed-bid keys) registers here in its AppConfig.ready():

- `publish_guards`: each gets the tender (locked, about to be published) and returns the rules it
  breaks, e.g. custodians who have not registered an opening key or confirmed; publication is
  refused while any guard returns a violation (the refusal names them).
- `before_notice`: each is called inside the publication transaction, before the notice entry
  is appended to the ledger (SEALED_BIDS.md: registrations 1..n, confirmations 1..n, then the notice).
- `deadline_moved`: called inside the transaction of an amendment or clarification that moved the
  deadline, with (tender, old deadline, new deadline): every custodian must confirm again."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from tenders.exceptions import RuleViolation

publish_guards: list[Callable[[Any], list[RuleViolation]]] = []
before_notice: list[Callable[[Any], None]] = []
deadline_moved: list[Callable[[Any, datetime, datetime], None]] = []
