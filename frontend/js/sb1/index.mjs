// Protocol SB1 in the browser: the public API the bid page and the custodian page call
// (docs/sb1.md "Browser"), and every building block for tests and other pages.
import { b64u, jcs, timeNow } from "./encoding.mjs";
import { BidSealer, manifestSign, mediaTypeValid } from "./sealing.mjs";
import { sha256 } from "./primitives.mjs";
import { newBidId } from "./wire.mjs";

export * from "./custodian.mjs";
export * from "./encoding.mjs";
export * from "./errors.mjs";
export * from "./ledger.mjs";
export * from "./merkle.mjs";
export * from "./p256.mjs";
export * from "./primitives.mjs";
export * from "./sealing.mjs";
export * from "./shamir.mjs";
export * from "./wire.mjs";

const FALLBACK_MEDIA_TYPE = "application/octet-stream";

/** An attachment as the form describes it, from a File/Blob or {file, name, mediaType}. Names
 * are put in NFC (a name picked on macOS may be NFD); a browser type that is empty or not a bare
 * lowercase `type/subtype` becomes application/octet-stream. */
function attachmentOf(item) {
  const blob = item instanceof Blob ? item : item.file;
  const name = (item.name ?? blob.name ?? "").normalize("NFC");
  const given = item instanceof Blob ? blob.type : (item.mediaType ?? blob.type);
  return { blob, name, media_type: mediaTypeValid(given) ? given : FALLBACK_MEDIA_TYPE, size: blob.size };
}

/**
 * Seal one bid in this browser, streaming every file chunk by chunk.
 *
 * - `attachments`: File/Blob objects (or {file, name, mediaType}), in file order 1..m.
 * - `custodians`: [{index, key, key_id}] from the published notice (key: b64u C_j).
 * - `replaces`: the b64u manifest_sha256 of the version this one replaces, or null.
 * - `signer`: b64u SHA-256 of the bidder's certificate; `signingKey`: its private ECDSA P-256
 *   CryptoKey (non-extractable is fine; from the key store).
 * - `onChunk(fileIndex, chunkIndex, bytes)`: awaited for every ciphertext chunk before the next
 *   slice is read (upload or store it there; nothing else keeps it).
 * - `onProgress(sealedBytes, totalBytes)`: plaintext bytes sealed so far, over all files.
 *
 * Returns {bid, manifest, manifestBytes, manifestSha256 (b64u), signature (b64u), files}.
 */
export async function sealBid({
  tender,
  lot = null,
  bid,
  supplier,
  readout,
  readoutFields,
  attachments = [],
  custodians,
  threshold,
  replaces = null,
  signer,
  signingKey,
  created,
  onChunk,
  onProgress,
}) {
  const described = attachments.map(attachmentOf);
  const sealer = await BidSealer.create({
    tender,
    lot,
    bid: bid ?? newBidId(),
    supplier,
    readout,
    readoutFields,
    attachments: described,
    custodians,
    threshold,
  });
  try {
    const total = described.reduce((sum, a) => sum + a.size, sealer.formPlaintext.length);
    let before = 0;
    for (let index = 0; index < sealer.fileCount(); index++) {
      const source = index === 0 ? null : described[index - 1].blob;
      await sealer.sealFile(index, source, {
        onChunk,
        onProgress: onProgress && ((sealed) => onProgress(before + sealed, total)),
      });
      before += sealer.fileSize(index);
    }
  } finally {
    sealer.forgetKey();
  }
  const manifest = sealer.manifest({ replaces, signer, created: created ?? timeNow() });
  const manifestBytes = jcs(manifest);
  const signature = await manifestSign(manifestBytes, signingKey);
  return {
    bid: sealer.bid,
    manifest,
    manifestBytes,
    manifestSha256: b64u(await sha256(manifestBytes)),
    signature: b64u(signature),
    files: manifest.files,
  };
}
