// Checks of the browser SB1 module against tests/vectors/sb1.json. Loaded into Chromium by
// tests/browser/test_sb1_browser.py (the module under test is passed in, as the bundle
// static/dist/sb1.js the live server serves). Each check throws with what differed.

function same(name, got, want) {
  if (got !== want) throw new Error(`${name}: got ${String(got).slice(0, 200)} want ${String(want).slice(0, 200)}`);
}

function inputsOf(sb1, v) {
  const { tender, lot, bid, supplier } = v.inputs;
  return { tender, lot, bid, supplier };
}

/** Every deterministic value of the vectors, recomputed here; signatures verified. Returns the
 * names of the sections checked. */
export async function checkVectors(sb1, v) {
  const { hex, fromHex, b64u, b64uDecode, jcs, bigFromBytes } = sb1;
  const text = new TextDecoder();
  const checked = [];
  const ids = inputsOf(sb1, v);

  // ctx
  same("ctx.jcs", text.decode(jcs({ suite: "SB1", ...ids })), v.ctx.jcs);
  const ctx = await sb1.context(ids);
  same("ctx", hex(ctx), v.ctx.ctx_hex);
  checked.push("ctx");

  // content key, file keys
  const K = fromHex(v.content_key.K_hex);
  same("key_commit", hex(await sb1.keyCommit(ctx, K)), v.content_key.key_commit_hex);
  for (let f = 0; f < v.content_key.file_keys_hex.length; f++) {
    same(`K_${f}`, hex(await sb1.fileKey(K, ctx, f)), v.content_key.file_keys_hex[f]);
  }
  checked.push("content_key");

  // Shamir
  for (const { a, b, product } of v.shamir.gf_mul_examples) same(`gf ${a}*${b}`, sb1.gfMul(a, b), product);
  const coefficients = v.shamir.coefficients_hex.map(fromHex);
  const shares = sb1.shamirSplit(fromHex(v.shamir.secret_hex), {
    threshold: v.shamir.threshold,
    count: v.shamir.count,
    coefficients,
  });
  for (const [j, s] of Object.entries(v.shamir.shares_hex)) same(`share ${j}`, hex(shares.get(Number(j))), s);
  const subset = new Map(v.shamir.interpolate_from.map((j) => [j, shares.get(j)]));
  same("interpolated", hex(sb1.shamirInterpolate(subset)), v.shamir.interpolated_hex);
  checked.push("shamir");

  // The whole bid with every "random" value fixed: form, files, wraps, manifest.
  const form = JSON.parse(v.form.form_jcs);
  const attachments = form.attachments.map((a) => ({ name: a.name, media_type: a.media_type, size: a.size }));
  const sealer = await sb1.BidSealer.create({
    ...ids,
    readout: v.inputs.readout,
    readoutFields: v.inputs.readout_fields,
    attachments,
    custodians: v.inputs.custodians.map((c) => ({ index: c.index, key: c.opening_key, key_id: c.key_id })),
    threshold: v.inputs.threshold,
    key: K,
    coefficients,
    ephemeralScalars: Object.fromEntries(v.wrap.custodians.map((w) => [w.index, bigFromBytes(fromHex(w.ephemeral_scalar_hex))])),
    pokNonces: Object.fromEntries(v.wrap.custodians.map((w) => [w.index, bigFromBytes(fromHex(w.pok_nonce_hex))])),
  });
  same("form jcs", text.decode(jcs(sealer.form)), v.form.form_jcs);
  same("P", sb1.formPaddedSize(sealer.form), v.form.padded_size);
  same("form plaintext", hex(sealer.formPlaintext), v.form.plaintext_hex);
  checked.push("form");

  for (const file of v.files.files) {
    const chunks = [];
    const source = new Blob([fromHex(file.plaintext_hex)]);
    const entry = await sealer.sealFile(file.index, file.index === 0 ? null : source, {
      onChunk: async (f, i, bytes) => {
        same(`file index ${f}`, f, file.index);
        chunks[i] = bytes;
      },
    });
    same(`file ${file.index} size`, entry.size, file.size);
    same(`file ${file.index} chunks`, entry.chunks, file.chunks);
    same(`file ${file.index} lengths`, JSON.stringify(sb1.expectedChunkLengths(file.size)), JSON.stringify(file.chunk_lengths));
    same(`file ${file.index} aad`, hex(sb1.chunkAad(ctx, file.index)), file.aad_hex);
    file.chunk_nonces_hex.forEach((n, i) =>
      same(`file ${file.index} nonce ${i}`, hex(sb1.chunkNonce(i, i === file.chunks - 1)), n),
    );
    same(`file ${file.index} chunk count`, chunks.length, file.chunk_ciphertexts_hex.length);
    file.chunk_ciphertexts_hex.forEach((c, i) => same(`file ${file.index} chunk ${i}`, hex(chunks[i]), c));
    same(`file ${file.index} sha256`, hex(b64uDecode(entry.sha256)), file.sha256_hex);
    // And the chunk decrypts back (the reader's side of the same rule).
    const plain = await sb1.chunkOpen({
      fileKey: await sb1.fileKey(K, ctx, file.index),
      ctx,
      fileIndex: file.index,
      index: 0,
      last: file.chunks === 1,
      ciphertext: chunks[0],
    });
    same(`file ${file.index} opens`, hex(plain), file.plaintext_hex.slice(0, 2 * plain.length));
  }
  checked.push("files");

  // Two-chunk file, streamed from a Blob.
  const tc = v.two_chunk_file;
  const pattern = new Uint8Array(tc.size);
  for (let i = 0; i < tc.size; i++) pattern[i] = i % 251;
  same("two-chunk plaintext", hex(await sb1.sha256(pattern)), tc.plaintext_sha256_hex);
  const tcDigests = [];
  const tcEntry = await sb1.sealFileStream({
    key: fromHex(tc.K_hex),
    ctx,
    index: tc.file_index,
    source: new Blob([pattern]),
    size: tc.size,
    onChunk: async (f, i, bytes) => {
      same("two-chunk length", bytes.length, tc.chunk_lengths[i]);
      tcDigests.push(hex(await sb1.sha256(bytes)));
    },
  });
  same("two-chunk chunks", tcEntry.chunks, tc.chunks);
  same("two-chunk digests", JSON.stringify(tcDigests), JSON.stringify(tc.chunk_ciphertext_sha256_hex));
  same("two-chunk sha256", hex(b64uDecode(tcEntry.sha256)), tc.sha256_hex);
  checked.push("two_chunk_file");

  // Wraps.
  for (const w of v.wrap.custodians) {
    const mine = sealer.wrapped[w.index - 1];
    same(`E_${w.index}`, b64u(mine.ephemeral), w.ephemeral);
    same(`E_${w.index} from scalar`, b64u(sb1.publicPoint(bigFromBytes(fromHex(w.ephemeral_scalar_hex)))), w.ephemeral);
    same(`Z_x ${w.index}`, hex(mine.sharedX), w.Z_x_hex);
    same(`W_${w.index}`, hex(mine.wrapKey), w.W_hex);
    same(`s_${w.index}`, hex(sealer.shares.get(w.index)), w.share_hex);
    same(`wrapped ${w.index}`, b64u(mine.wrapped), w.wrapped);
    same(`commit ${w.index}`, b64u(mine.commit), w.commit);
    same(`pok ${w.index}`, b64u(mine.pok), w.pok);
    await sb1.pokVerify({ ctx, index: w.index, ephemeral: w.ephemeral, proof: w.pok });
  }
  checked.push("wrap");

  // Manifest: object, bytes, hash, signature.
  const manifest = sealer.manifest({ replaces: null, signer: v.inputs.bidder.signer, created: v.inputs.created });
  same("manifest jcs", text.decode(sb1.manifestBytes(manifest)), v.manifest.jcs);
  same("manifest object", text.decode(jcs(v.manifest.manifest)), v.manifest.jcs);
  const raw = new TextEncoder().encode(v.manifest.jcs);
  same("manifest parses canonical", text.decode(jcs(sb1.jsonParseCanonical(raw))), v.manifest.jcs);
  same("manifest_sha256", b64u(await sb1.manifestSha256(raw)), v.manifest.manifest_sha256);
  await sb1.manifestSignatureVerify(raw, v.manifest.signature, v.inputs.bidder.public_key);
  checked.push("manifest");

  // Signatures made here (WebCrypto, random k) verify too, and a wrong label does not.
  const bidderKey = await sb1.privateKeyFromScalar(bigFromBytes(fromHex(v.inputs.bidder.signing_scalar_hex)));
  const ours = await sb1.manifestSign(raw, bidderKey);
  await sb1.manifestSignatureVerify(raw, ours, v.inputs.bidder.public_key);
  let refused = false;
  try {
    await sb1.ecdsaVerify(v.inputs.bidder.public_key, "SB1/withdrawal", raw, ours);
  } catch (error) {
    refused = error.code === "signature";
  }
  same("wrong label refused", refused, true);

  // Withdrawal.
  const wd = v.withdrawal.envelope;
  await sb1.ecdsaVerify(v.inputs.bidder.public_key, "SB1/withdrawal", jcs(wd.statement), wd.signature);
  same("withdrawal_sha256", await sb1.withdrawalSha256(wd.statement), v.withdrawal.withdrawal_sha256);
  const rebuilt = await sb1.withdrawalBuild({
    ...ids,
    manifestSha256: wd.statement.manifest_sha256,
    signer: wd.statement.signer,
    created: wd.statement.created,
    signingKey: bidderKey,
  });
  same("withdrawal statement", text.decode(jcs(rebuilt.statement)), text.decode(jcs(wd.statement)));
  await sb1.ecdsaVerify(v.inputs.bidder.public_key, "SB1/withdrawal", jcs(rebuilt.statement), rebuilt.signature);
  checked.push("withdrawal");

  // Registration and confirmation of custodian 1.
  const c1 = v.inputs.custodians[0];
  const reg = v.registration.envelope;
  await sb1.ecdsaVerify(reg.registration.key, "SB1/key-pop", jcs(reg.registration), reg.pop);
  await sb1.ecdsaVerify(c1.signing_public_key, "SB1/opening-key", jcs(reg.registration), reg.signature);
  const openingKey1 = await sb1.openingKeyFromScalar(bigFromBytes(fromHex(c1.opening_scalar_hex)));
  const signingKey1 = await sb1.privateKeyFromScalar(bigFromBytes(fromHex(c1.signing_scalar_hex)));
  const reg2 = await sb1.openingKeyRegistrationBuild({
    tender: ids.tender,
    index: 1,
    openingKey: openingKey1,
    signingKey: signingKey1,
    signer: c1.signer,
    created: reg.registration.created,
  });
  same("registration", text.decode(jcs(reg2.registration)), text.decode(jcs(reg.registration)));
  await sb1.ecdsaVerify(reg.registration.key, "SB1/key-pop", jcs(reg2.registration), reg2.pop);
  await sb1.ecdsaVerify(c1.signing_public_key, "SB1/opening-key", jcs(reg2.registration), reg2.signature);
  checked.push("registration");

  const conf = v.confirmation.envelope;
  await sb1.ecdsaVerify(c1.signing_public_key, "SB1/confirm", jcs(conf.confirmation), conf.signature);
  const conf2 = await sb1.confirmationBuild({
    tender: ids.tender,
    custodians: v.inputs.custodians,
    threshold: v.inputs.threshold,
    deadline: v.inputs.deadline,
    shareWindowS: v.inputs.share_window_s,
    signer: c1.signer,
    signingKey: signingKey1,
  });
  same("confirmation", text.decode(jcs(conf2.confirmation)), text.decode(jcs(conf.confirmation)));
  checked.push("confirmation");

  // Key file: decrypt (passphrase given in NFD), the AAD, and encrypting the same PKCS#8 with
  // the same salt and nonce gives the same ciphertext.
  const kf = v.key_file;
  const aad = new Uint8Array([
    ...new TextEncoder().encode("SB1/custodian-key\0"),
    ...jcs(Object.fromEntries(["type", "tender", "key_id", "kdf", "iterations", "salt"].map((k) => [k, kf.file[k]]))),
  ]);
  same("key file aad", hex(aad), kf.aad_hex);
  const opened = await sb1.keyFileDecrypt(kf.file, { tender: ids.tender, passphrase: kf.passphrase });
  same("key file key_id", opened.keyId, kf.file.key_id);
  same("key file scalar", hex(sb1.scalarBytes(opened.scalar)), c1.opening_scalar_hex);
  const again = await sb1.keyFileEncrypt({
    tender: ids.tender,
    openingKey: { ...opened, pkcs8: fromHex(kf.pkcs8_hex) },
    passphrase: kf.passphrase,
    iterations: kf.file.iterations,
    salt: b64uDecode(kf.file.salt),
    nonce: b64uDecode(kf.file.nonce),
  });
  same("key file ciphertext", again.ciphertext, kf.file.ciphertext);
  for (const [options, code] of [
    [{ tender: ids.tender, passphrase: kf.passphrase + "x" }, "key_file"],
    [{ tender: "ZB-2026-0043", passphrase: kf.passphrase }, "mismatch"],
  ]) {
    let got = null;
    try {
      await sb1.keyFileDecrypt(kf.file, options);
    } catch (error) {
      got = error.code;
    }
    same(`key file refused ${code}`, got, code);
  }
  checked.push("key_file");

  // Seal statement: root over the sorted manifest hashes, slots, served slots.
  const seal = v.seal.statement;
  const hashes = [b64uDecode(v.manifest.manifest_sha256), ...v.seal.other_counting_bids.map((o) => b64uDecode(o.manifest_sha256))];
  const sorted = hashes.map((h) => [hex(h), h]).sort((a, b) => (a[0] < b[0] ? -1 : 1)).map((p) => p[1]);
  same("bids", JSON.stringify(sorted.map(b64u)), JSON.stringify(seal.bids));
  same("root", b64u(await sb1.merkleRoot(sorted)), seal.root);
  for (let j = 1; j <= v.inputs.custodians.length; j++) {
    const leaves = [await sb1.slotLeaf(ctx, j, b64uDecode(manifest.custodians[j - 1].ephemeral))];
    for (const o of v.seal.other_counting_bids) leaves.push(await sb1.slotLeaf(fromHex(o.ctx_hex), j, b64uDecode(o.ephemerals[String(j)])));
    const leafSorted = leaves.map((h) => [hex(h), h]).sort((a, b) => (a[0] < b[0] ? -1 : 1)).map((p) => p[1]);
    same(`slots[${j - 1}]`, b64u(await sb1.merkleRoot(leafSorted)), seal.slots[j - 1]);
  }
  await sb1.sealStatementCheck(seal, { tender: ids.tender, custodianCount: 3 });
  for (const [j, served] of Object.entries(v.seal.served)) {
    for (const slot of served) await sb1.servedSlotCheck(slot, { tender: ids.tender, index: Number(j), seal });
  }
  checked.push("seal");

  // Share answers: Z_j + DLEQ with the fixed nonce equal the vectors; signatures verify; the
  // point unwraps share j.
  for (const answer of v.shares.custodians) {
    const c = v.inputs.custodians[answer.index - 1];
    const slot = await sb1.servedSlotCheck(answer.slot, { tender: ids.tender, index: answer.index, seal });
    const env = await sb1.shareSubmissionBuild({
      slot,
      openingKey: await sb1.openingKeyFromScalar(bigFromBytes(fromHex(c.opening_scalar_hex))),
      signingKey: await sb1.privateKeyFromScalar(bigFromBytes(fromHex(c.signing_scalar_hex))),
      signer: c.signer,
      created: answer.envelope.submission.created,
      nonce: bigFromBytes(fromHex(answer.dleq_nonce_hex)),
    });
    same(`share ${answer.index}`, text.decode(jcs(env.submission)), text.decode(jcs(answer.envelope.submission)));
    await sb1.ecdsaVerify(c.signing_public_key, "SB1/share", jcs(answer.envelope.submission), answer.envelope.signature);
    await sb1.ecdsaVerify(c.signing_public_key, "SB1/share", jcs(env.submission), env.signature);
    const s = answer.envelope.submission;
    await sb1.dleqVerify({ ctx: b64uDecode(s.ctx), index: answer.index, key: c.opening_key, ephemeral: s.ephemeral, point: s.point, proof: s.proof });
    const share = await sb1.shareUnwrap({
      ctx,
      index: answer.index,
      sharedX: b64uDecode(s.point).subarray(1, 33),
      ephemeral: b64uDecode(s.ephemeral),
      custodianKey: b64uDecode(c.opening_key),
      wrapped: b64uDecode(manifest.custodians[answer.index - 1].wrapped),
    });
    same(`unwrapped ${answer.index}`, hex(share), v.wrap.custodians[answer.index - 1].share_hex);
  }
  checked.push("shares");

  const used = new Map(v.opening.used_shares.map((j) => [j, fromHex(v.wrap.custodians[j - 1].share_hex)]));
  same("opening K", hex(sb1.shamirInterpolate(used)), v.opening.K_hex);
  checked.push("opening");
  return checked;
}

async function refusedCode(fn) {
  try {
    await fn();
  } catch (error) {
    return error.code ?? `not an SB1Error: ${error}`;
  }
  return null;
}

/** Every `invalid` input refused, by the check it belongs to; returns {what: [codes...]}. */
export async function checkInvalid(sb1, v) {
  const bad = v.invalid;
  const form = JSON.parse(v.form.form_jcs);
  const ids = inputsOf(sb1, v);
  const base = {
    ...ids,
    readout: v.inputs.readout,
    readoutFields: v.inputs.readout_fields,
    attachments: form.attachments,
  };
  const results = {};
  const run = async (what, items, fn) => {
    results[what] = [];
    for (const item of items) results[what].push(await refusedCode(() => fn(item)));
  };
  await run("b64u", bad.b64u, (t) => sb1.b64uDecode(t));
  await run("points", bad.points_hex, (h) => sb1.pointParse(sb1.fromHex(h)));
  await run("points_as_custodian_key", bad.points_hex, (h) =>
    sb1.shareWrap({ ctx: new Uint8Array(32), index: 1, custodianKey: sb1.fromHex(h), keyId: "", share: new Uint8Array(32) }),
  );
  await run("bid_ids", bad.bid_ids, (b) => sb1.context({ ...ids, bid: b }));
  await run("suppliers", bad.suppliers, (s) => sb1.context({ ...ids, supplier: s }));
  await run("tenders", bad.tenders, (t) => sb1.context({ ...ids, tender: t }));
  await run("readout_values", bad.readout_values, (p) => sb1.formBuild({ ...base, readout: { ...v.inputs.readout, price: p } }));
  await run("attachment_names", bad.attachment_names, (n) =>
    sb1.formBuild({ ...base, attachments: [{ ...form.attachments[0], name: n }] }),
  );
  await run("media_types", bad.media_types, (m) =>
    sb1.formBuild({ ...base, attachments: [{ ...form.attachments[0], media_type: m }] }),
  );
  // The valid originals pass, so the refusals above are about the changed value alone.
  results.valid_form = await refusedCode(() => sb1.formBuild(base));
  // Names at the edges of the pinned Unicode table pass (docs/sb1.md "Names and Unicode").
  await run("valid_attachment_names", v.inputs.attachment_names_valid, (n) =>
    sb1.formBuild({ ...base, attachments: [{ ...form.attachments[0], name: n }] }),
  );
  return results;
}
