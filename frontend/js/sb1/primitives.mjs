// The symmetric primitives of suite SB1, all on WebCrypto: SHA-256, HKDF-SHA256, AES-256-GCM
// (tag appended, as WebCrypto outputs it) and PBKDF2-SHA256.
import { concat, utf8 } from "./encoding.mjs";
import { SB1Error } from "./errors.mjs";

const subtle = globalThis.crypto.subtle;

export async function sha256(...parts) {
  return new Uint8Array(await subtle.digest("SHA-256", parts.length === 1 ? parts[0] : concat(...parts)));
}

/** HKDF-SHA256(ikm, salt, info) → `length` bytes. */
export async function hkdf({ ikm, salt, info, length = 32 }) {
  const base = await subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  return new Uint8Array(await subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info }, base, 8 * length));
}

/** A raw 32-byte key as an AES-256-GCM CryptoKey (not extractable). */
export async function aesKey(raw) {
  if (raw.length !== 32) throw new SB1Error("length");
  return subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
}

export async function aesGcmEncrypt(key, nonce, plaintext, aad = new Uint8Array(0)) {
  const cryptoKey = key instanceof Uint8Array ? await aesKey(key) : key;
  return new Uint8Array(
    await subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: aad, tagLength: 128 }, cryptoKey, plaintext),
  );
}

/** AES-256-GCM decryption; a tag that does not verify raises SB1Error(`code`). */
export async function aesGcmDecrypt(key, nonce, ciphertext, aad = new Uint8Array(0), code = "decrypt") {
  const cryptoKey = key instanceof Uint8Array ? await aesKey(key) : key;
  try {
    return new Uint8Array(
      await subtle.decrypt({ name: "AES-GCM", iv: nonce, additionalData: aad, tagLength: 128 }, cryptoKey, ciphertext),
    );
  } catch {
    throw new SB1Error(code);
  }
}

/** The 32-byte PBKDF2-SHA256 key of a passphrase (UTF-8 of its NFC form, as SEALED_BIDS.md says). */
export async function passphraseKey(passphrase, salt, iterations) {
  const base = await subtle.importKey("raw", utf8(passphrase.normalize("NFC")), "PBKDF2", false, ["deriveBits"]);
  const bits = await subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, base, 256);
  return new Uint8Array(bits);
}

export function randomBytes(count) {
  return globalThis.crypto.getRandomValues(new Uint8Array(count));
}
