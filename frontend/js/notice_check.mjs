// An announcement checked in the visitor's browser (tenders/public/check.html): its frozen payload
// from the public API hashed here (SHA-256 of its canonical JSON), matched to its ledger entry, the
// entry's platform signature and its inclusion proof under a signed tree head verified with the
// platform's published keys (sb1/ledger.mjs, as custodians and yizhan-client check the ledger).
import { b64u, jcs } from "./sb1/encoding.mjs";
import { ledgerProofOk, platformKeys, platformSignatureOk } from "./sb1/ledger.mjs";
import { sha256 } from "./sb1/primitives.mjs";

const zh = () => document.documentElement.lang.startsWith("zh");
const T = (en, cn) => (zh() ? cn : en);

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (!response.ok) throw new Error(T(`The API answered ${response.status} to ${url}.`, `接口对 ${url} 返回 ${response.status}。`));
  return response.json();
}

function mark(root, step, ok) {
  const item = root.querySelector(`[data-step="${step}"]`);
  item.dataset.result = ok ? "ok" : "failed";
  item.querySelector(".yz-check-result").textContent = ok ? T("✓ holds", "✓ 成立") : T("✗ does not hold", "✗ 不成立");
}

async function check(root) {
  const status = document.getElementById("check-status");
  status.textContent = T("Checking…", "正在核验……");
  const { reference, sequence, index } = root.dataset;
  const [notice, entry, proof, keys] = await Promise.all([
    getJson(root.dataset.noticeUrl), getJson(root.dataset.entryUrl), getJson(root.dataset.proofUrl),
    platformKeys(getJson),
  ]);
  // The tree head the platform signed at the proof's size: the root the path must lead to.
  const head = await getJson(`${root.dataset.headUrl}?size=${proof.tree_size}`);
  const announcement = (notice.announcements || []).find((a) => a.sequence === Number(sequence));
  const logged = entry.document?.payload ?? {};
  const hash = announcement ? b64u(await sha256(jcs(announcement.payload))) : null;
  const results = {
    hash: hash !== null && hash === logged.sha256,
    entry: logged.tender === reference && logged.announcement === Number(sequence) && entry.index === Number(index),
    signature: platformSignatureOk(entry.document, keys),
    inclusion: proof.index === Number(index) && (await ledgerProofOk(entry.document, { ...proof, tree_head: head }, keys)),
  };
  for (const [step, ok] of Object.entries(results)) mark(root, step, ok);
  const all = Object.values(results).every(Boolean);
  root.dataset.verdict = all ? "ok" : "failed";
  status.textContent = all
    ? T("Check passed: this announcement is the one the public ledger holds, unaltered.", "核验通过：该公告与公开账本所记录的完全一致，未被改动。")
    : T("Check FAILED: what the platform serves does not match the public ledger. Keep this page and report it.", "核验未通过：平台提供的内容与公开账本不符。请保存本页面并举报。");
}

const root = document.getElementById("check-steps");
if (root) {
  document.getElementById("check-button").addEventListener("click", () => {
    check(root).catch((error) => {
      document.getElementById("check-status").textContent = T("The check could not run: ", "无法完成核验：") + (error.message ?? error);
    });
  });
}
