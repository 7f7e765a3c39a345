"""Sealed bidding's fixed values: platform default size limits for a bid version, and the kinds of
the ledger entries the seal writes."""

# A bid version (all files, form included) may not exceed these unless the tender sets its own
# limits (`BidLimit`). The client is told before it uploads anything.
DEFAULT_MAX_BID_BYTES = 2 * 1024**3
DEFAULT_MAX_BID_FILES = 101  # the form and up to 100 attachments

RECEIPT = "SB1/receipt"
WITHDRAWAL_RECEIPT = "SB1/withdrawal-receipt"
SEAL = "SB1/seal"
CHUNK_HEADER = "X-Chunk-SHA256"
