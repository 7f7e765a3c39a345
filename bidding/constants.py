"""Sealed bidding's fixed values: platform default size limits for a bid version, and the kinds of
the ledger entries the seal writes."""

import datetime as dt

# A bid version (all files, form included) may not exceed these unless the tender sets its own
# limits (`BidLimit`). The client is told before it uploads anything.
DEFAULT_MAX_BID_BYTES = 2 * 1024**3
DEFAULT_MAX_BID_FILES = 101  # the form and up to 100 attachments

RECEIPT = "SB1/receipt"
WITHDRAWAL_RECEIPT = "SB1/withdrawal-receipt"
SEAL = "SB1/seal"
CHUNK_HEADER = "X-Chunk-SHA256"

# A finalize whose request was complete before the deadline is judged against that time of receipt
# however long its checks take, but the seal waits for such finalizes no longer than this after the
# deadline (docs/bidding_submission.md "In time"). A check still running then is refused as the
# platform's failure (`VerificationLate`); the bench shows p99 finalize far below it.
FINALIZE_GRACE = dt.timedelta(seconds=30)
