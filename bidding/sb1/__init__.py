"""Protocol SB1 of SEALED_BIDS.md as pure functions: no models, no settings, no clock.
The submission service, the opening service, the custodian CLI and the test vectors call these;
docs/sb1.md says what lives where."""

from .custodian import (
    confirmation_build,
    confirmation_check,
    custodian_key_file_decrypt,
    custodian_key_file_encrypt,
    opening_key_generate,
    opening_key_id,
    opening_key_registration_build,
    opening_key_registration_check,
    share_submission_build,
)
from .errors import BIDDER, CUSTODIAN, PLATFORM, SB1Error
from .manifest import Manifest, manifest_parse, manifest_parse_and_check
from .opening import AcceptedShare, ChunkSource, MemoryChunks, OpeningResult, bid_open, share_submission_check
from .seal import (
    CountingBid,
    ServedSlot,
    seal_statement_build,
    seal_statement_check,
    served_slot_check,
    slot_leaf,
    slots_serve,
)
from .sealing import (
    CHUNK_SIZE,
    Attachment,
    BidSealer,
    CustodianKey,
    SealedFileStream,
    chunk_count,
    expected_chunk_lengths,
    manifest_bytes,
    manifest_sha256,
    manifest_sign,
    manifest_signature_verify,
    withdrawal_build,
    withdrawal_check,
)
from .wire import context, key_id, signer_id

__all__ = [
    "BIDDER", "CHUNK_SIZE", "CUSTODIAN", "PLATFORM", "AcceptedShare", "Attachment", "BidSealer", "ChunkSource",
    "CountingBid", "CustodianKey", "Manifest", "MemoryChunks", "OpeningResult", "SB1Error", "SealedFileStream",
    "ServedSlot", "bid_open", "chunk_count", "confirmation_build", "confirmation_check", "context",
    "custodian_key_file_decrypt", "custodian_key_file_encrypt", "expected_chunk_lengths", "key_id",
    "manifest_bytes", "manifest_parse", "manifest_parse_and_check", "manifest_sha256", "manifest_sign",
    "manifest_signature_verify", "opening_key_generate", "opening_key_id", "opening_key_registration_build",
    "opening_key_registration_check", "seal_statement_build", "seal_statement_check", "served_slot_check",
    "share_submission_build", "share_submission_check", "signer_id", "slot_leaf", "slots_serve",
    "withdrawal_build", "withdrawal_check",
]
