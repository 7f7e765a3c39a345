// Signing keys and custodian opening keys, made in this browser with WebCrypto.
//
// Signing key (certificates page): an ECDSA P-256 pair is generated EXTRACTABLE once, only so
// its PKCS#8 can be written into the passphrase-protected backup file ("YZ/signing-key", the same
// format the Python client's `keygen` writes, see docs/suppliers.md); it is then re-imported
// NON-EXTRACTABLE and that CryptoKey is what IndexedDB keeps and what signs. The extractable
// copy is dropped. Enrolment sends only the public point and a signature over the challenge.
//
// Opening key (custodian page): a fresh P-256 pair per tender, written into the SB1 custodian key
// file (SEALED_BIDS.md "Keys"), registered with its proof of possession and the custodian's
// signature. Only public keys and signatures ever go to the server.
import { b64u, b64uDecode, bytesEqual, concat, jcs, utf8 } from "./sb1/encoding.mjs";
import { ecdsaSign } from "./sb1/p256.mjs";
import { aesGcmDecrypt, aesGcmEncrypt, passphraseKey, randomBytes } from "./sb1/primitives.mjs";
import { confirmationBuild, keyFileEncrypt, openingKeyGenerate, openingKeyRegistrationBuild, MIN_ITERATIONS } from "./sb1/custodian.mjs";

const subtle = globalThis.crypto.subtle;
const DB_NAME = "yizhan-keys";
const STORE = "signing";
const MIN_PASSPHRASE = 12;
// The pages are bilingual; the messages this module writes follow the page's language.
const zh = () => document.documentElement.lang.startsWith("zh");

// --- IndexedDB: one signing key record per username -----------------------------------------

function db() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "username" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function store(mode, action) {
  const database = await db();
  return new Promise((resolve, reject) => {
    const tx = database.transaction(STORE, mode);
    const request = action(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error);
  });
}

export const heldKey = (username) => store("readonly", (s) => s.get(username));
const keepKey = (record) => store("readwrite", (s) => s.put(record));

// --- files -----------------------------------------------------------------------------------

function download(name, object) {
  const blob = new Blob([JSON.stringify(object, null, 2)], { type: "application/json" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** The "YZ/signing-key" backup: AES-256-GCM over the PKCS#8 under PBKDF2-SHA256(NFC passphrase),
 * AAD "YZ/signing-key" ‖ 0x00 ‖ JCS(header). */
async function signingKeyBackup(pkcs8, point, passphrase) {
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const header = { type: "YZ/signing-key", key: b64u(point), kdf: "PBKDF2-SHA256", iterations: MIN_ITERATIONS, salt: b64u(salt) };
  const key = await passphraseKey(passphrase, salt, MIN_ITERATIONS);
  const ciphertext = await aesGcmEncrypt(key, nonce, pkcs8, concat(utf8("YZ/signing-key\0"), jcs(header)));
  return { ...header, nonce: b64u(nonce), ciphertext: b64u(ciphertext) };
}

/** The signing key inside a "YZ/signing-key" backup (from this page or the Python client's
 * `keygen`), imported NON-EXTRACTABLE, with its public point; refuses another kind of file, a wrong
 * passphrase (the AES-GCM tag fails) and a file whose key is not the one its header names. */
async function signingKeyRestore(file, passphrase) {
  const bad = (zhText, enText) => new Error(zh() ? zhText : enText);
  if (!file || file.type !== "YZ/signing-key" || file.kdf !== "PBKDF2-SHA256") {
    throw bad("这不是签名密钥备份文件（YZ/signing-key）。", "This is not a signing key backup file (YZ/signing-key).");
  }
  const header = { type: file.type, key: file.key, kdf: file.kdf, iterations: file.iterations, salt: file.salt };
  if (!Number.isSafeInteger(header.iterations) || header.iterations < MIN_ITERATIONS) {
    throw bad("备份文件的口令迭代次数不足，无法使用。", "The backup file's passphrase iterations are too few to use.");
  }
  let pkcs8;
  try {
    const key = await passphraseKey(passphrase, b64uDecode(header.salt, 16), header.iterations);
    pkcs8 = await aesGcmDecrypt(key, b64uDecode(file.nonce, 12), b64uDecode(file.ciphertext), concat(utf8("YZ/signing-key\0"), jcs(header)));
  } catch {
    throw bad("口令不正确，或备份文件已损坏。", "Wrong passphrase, or the backup file is damaged.");
  }
  // The public point, read from the key itself (an extractable copy that lives only here).
  const extractable = await subtle.importKey("pkcs8", pkcs8, { name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
  const jwk = await subtle.exportKey("jwk", extractable);
  const point = concat(new Uint8Array([4]), b64uDecode(jwk.x, 32), b64uDecode(jwk.y, 32));
  if (!bytesEqual(point, b64uDecode(header.key, 65))) {
    throw bad("备份文件中的密钥与文件标明的公钥不符。", "The key in the backup file is not the public key the file names.");
  }
  const key = await subtle.importKey("pkcs8", pkcs8, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
  pkcs8.fill(0);
  return { key, publicKey: b64u(point) };
}

// --- talking to the API (session cookie + CSRF token of the page) ----------------------------

function csrfToken() {
  return document.querySelector("input[name=csrfmiddlewaretoken]").value;
}

async function api(url, body) {
  const response = await fetch(url, {
    method: body === undefined ? "GET" : "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.message || `HTTP ${response.status}`);
  return data;
}

function say(text, { error = false } = {}) {
  const region = document.getElementById("key-status");
  region.replaceChildren();
  const p = document.createElement("p");
  p.className = error ? "govuk-error-message" : "govuk-body";
  p.textContent = text;
  region.append(p);
}

function passphrasesOf(first, second) {
  const a = document.getElementById(first).value;
  const b = document.getElementById(second).value;
  if (a.length < MIN_PASSPHRASE) throw new Error(zh() ? `口令至少需要${MIN_PASSPHRASE}个字符。` : `Use a passphrase of at least ${MIN_PASSPHRASE} characters.`);
  if (a !== b) throw new Error(zh() ? "两次输入的口令不一致。" : "The two passphrases differ.");
  return a;
}

// --- certificates page -----------------------------------------------------------------------

async function enrol(form, record) {
  const challenge = await api(form.dataset.challengeUrl, { purpose: form.dataset.purpose });
  const signature = await ecdsaSign(record.key, "YZ/enroll", jcs({ challenge, key: record.publicKey }));
  const certificate = await api(form.dataset.enrolUrl, { challenge, key: record.publicKey, signature: b64u(signature) });
  await keepKey({ ...record, fingerprint: certificate.fingerprint, purpose: form.dataset.purpose });
  return certificate;
}

async function certificatesPage(form) {
  const username = form.dataset.username;
  const held = await heldKey(username);
  const heldText = document.getElementById("key-held");
  if (held) {
    heldText.hidden = false;
    heldText.textContent = (zh() ? "本浏览器保存有您的签名密钥，公钥：" : "This browser holds your signing key; public key: ") + held.publicKey
      + (held.fingerprint ? (zh() ? "，证书指纹：" : ", certificate fingerprint: ") + held.fingerprint : "");
    if (!held.fingerprint) {
      const again = document.getElementById("enrol-held-button");
      again.hidden = false;
      again.addEventListener("click", async () => {
        try {
          const certificate = await enrol(form, held);
          say((zh() ? "证书已签发，指纹：" : "Certificate issued, fingerprint: ") + certificate.fingerprint);
          setTimeout(() => window.location.reload(), 1500);
        } catch (error) {
          say(error.message, { error: true });
        }
      });
    }
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = document.getElementById("keygen-button");
    button.disabled = true;
    try {
      const passphrase = passphrasesOf("passphrase", "passphrase2");
      say(zh() ? "正在生成密钥并加密备份（需要几秒钟）……" : "Making the key and encrypting the backup (a few seconds)…");
      // Extractable once, for the backup file only.
      const pair = await subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
      const pkcs8 = new Uint8Array(await subtle.exportKey("pkcs8", pair.privateKey));
      const point = new Uint8Array(await subtle.exportKey("raw", pair.publicKey));
      download(`yizhan-signing-key-${username}.json`, await signingKeyBackup(pkcs8, point, passphrase));
      // What stays in this browser cannot be read out again.
      const key = await subtle.importKey("pkcs8", pkcs8, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
      pkcs8.fill(0);
      const record = { username, key, publicKey: b64u(point), fingerprint: null, created: new Date().toISOString() };
      await keepKey(record);
      const certificate = await enrol(form, record);
      say((zh() ? "证书已签发，指纹：" : "Certificate issued, fingerprint: ") + certificate.fingerprint);
      setTimeout(() => window.location.reload(), 1500);
    } catch (error) {
      say(error.message, { error: true });
      button.disabled = false;
    }
  });
}

/** Restore a signing key from its backup file into this browser (a new computer, a cleared
 * browser, or a demo custodian's kept file): the key must be the key of one of your own valid
 * certificates listed on the page, whose fingerprint it is kept with. Nothing is sent. */
function restoreForm(form) {
  const username = form.dataset.username;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = document.getElementById("restore-button");
    button.disabled = true;
    try {
      const chosen = document.getElementById("restore-file").files[0];
      if (!chosen) throw new Error(zh() ? "请选择签名密钥备份文件。" : "Choose your signing key backup file.");
      let file;
      try {
        file = JSON.parse(await chosen.text());
      } catch {
        throw new Error(zh() ? "这不是签名密钥备份文件（YZ/signing-key）。" : "This is not a signing key backup file (YZ/signing-key).");
      }
      say(zh() ? "正在解密备份文件（需要几秒钟）……" : "Decrypting the backup file (a few seconds)…");
      const restored = await signingKeyRestore(file, document.getElementById("restore-passphrase").value);
      const row = [...document.querySelectorAll("tr[data-own-valid][data-public-key]")]
        .find((r) => r.dataset.publicKey === restored.publicKey);
      if (!row) {
        throw new Error(zh() ? "此密钥没有您的有效证书：请先用它申请证书，或选择另一个备份文件。"
          : "You hold no valid certificate for this key: enrol it first, or choose another backup file.");
      }
      await keepKey({ username, ...restored, fingerprint: row.dataset.fingerprint, created: new Date().toISOString() });
      say((zh() ? "签名密钥已恢复到本浏览器，证书指纹：" : "Signing key restored into this browser; certificate fingerprint: ") + row.dataset.fingerprint);
      setTimeout(() => window.location.reload(), 1500);
    } catch (error) {
      say(error.message, { error: true });
      button.disabled = false;
    }
  });
}

// --- custodian opening key page ----------------------------------------------------------------

async function signingRecord(username) {
  const record = await heldKey(username);
  if (!record || !record.fingerprint) {
    throw new Error(zh() ? "本浏览器没有已签发证书的签名密钥：请先在“签名证书”页面生成并申请证书。" : "This browser holds no enrolled signing key: make one on the certificates page first.");
  }
  return record;
}

/** Make a fresh opening key, save its file, and send its signed registration to `url` (with `extra`
 * beside the envelope): the first registration, or a replacement of a lost key. */
function openingKeyForm(root, form, { passphraseIds, url, extra = () => ({}), replacing = false, done }) {
  const { tender, username } = root.dataset;
  const index = Number(root.dataset.index);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const passphrase = passphrasesOf(...passphraseIds);
      const signing = await signingRecord(username);
      say(zh() ? "正在生成开标密钥并加密密钥文件（需要几秒钟）……" : "Making the opening key and encrypting its file (a few seconds)…");
      const openingKey = await openingKeyGenerate();
      // The file is saved before the key is registered, so a registered key is never a lost one.
      const envelope = await openingKeyRegistrationBuild({
        tender, index, openingKey, signingKey: signing.key, signer: signing.fingerprint, created: new Date().toISOString(),
      });
      // A replacement's file is named after its key, so it is not confused with the lost one.
      const suffix = replacing ? `-${envelope.registration.key_id.slice(0, 8)}` : "";
      download(`opening-key-${tender}-${index}${suffix}.json`, await keyFileEncrypt({ tender, openingKey, passphrase }));
      openingKey.pkcs8.fill(0);
      await api(url, { ...envelope, ...extra() });
      say(done + envelope.registration.key_id);
      setTimeout(() => window.location.reload(), 1500);
    } catch (error) {
      say(error.message, { error: true });
      button.disabled = false;
    }
  });
}

async function custodianPage(root) {
  const { tender, username } = root.dataset;
  const form = document.getElementById("opening-key-form");
  if (form) {
    openingKeyForm(root, form, {
      passphraseIds: ["opening-passphrase", "opening-passphrase2"],
      url: root.dataset.keyUrl,
      done: zh() ? "开标密钥已登记：" : "Opening key registered: ",
    });
  }
  const replaceForm = document.getElementById("opening-key-replace-form");
  if (replaceForm) {
    openingKeyForm(root, replaceForm, {
      passphraseIds: ["replace-passphrase", "replace-passphrase2"],
      url: root.dataset.replaceUrl,
      extra: () => ({ reason: document.getElementById("replace-reason").value }),
      replacing: true,
      done: zh() ? "开标密钥已更换，所有保管人需重新签署确认。新密钥：" : "Opening key replaced; every custodian must confirm again. New key: ",
    });
  }
  document.getElementById("confirm-button")?.addEventListener("click", async (event) => {
    event.target.disabled = true;
    try {
      const signing = await signingRecord(username);
      const assignment = await api(`${root.dataset.keyUrl}?signer=${encodeURIComponent(signing.fingerprint)}`);
      const c = assignment.confirmation_to_sign;
      if (!c) throw new Error(zh() ? "尚有保管人未登记开标密钥，暂不能确认。" : "Not every custodian has registered a key yet.");
      const envelope = await confirmationBuild({
        tender, custodians: c.custodians, threshold: c.threshold, deadline: c.deadline, shareWindowS: c.share_window_s,
        signer: signing.fingerprint, signingKey: signing.key,
      });
      await api(root.dataset.confirmUrl, envelope);
      say(zh() ? "确认已签署。" : "Confirmation signed.");
      setTimeout(() => window.location.reload(), 1500);
    } catch (error) {
      say(error.message, { error: true });
      event.target.disabled = false;
    }
  });
}

const keygenForm = document.getElementById("keygen-form");
if (keygenForm) certificatesPage(keygenForm);
const restore = document.getElementById("restore-form");
if (restore) restoreForm(restore);
const custodianRoot = document.getElementById("custodian-keys");
if (custodianRoot) custodianPage(custodianRoot);
