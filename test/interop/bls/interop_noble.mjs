// BLS interop: venusd (through its `tool bls` interface) against independent implementations.
//   node interop_noble.mjs <path to venus_bls_tool or "venusd tool bls"-compatible binary>
// Checks, with random keys and messages: venus signatures verify in @noble/curves and the reverse,
// byte-identical public keys / signatures / hash-to-G2, aggregates both ways (noble, blst), and the
// Zondax vectors whose messages need Zondax's own CBOR serializer. Exit 1 on any mismatch.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import blst from '@chainsafe/blst';

const DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_';
const bls = bls12_381.longSignatures;   // min-pk, as Filecoin
const here = dirname(fileURLToPath(import.meta.url));
const tool = process.argv[2];
if (!tool) { console.error('usage: node interop_noble.mjs <venus_bls_tool>'); process.exit(2); }

const hex = (b) => Buffer.from(b).toString('hex');
const unhex = (s) => Buffer.from(s, 'hex');
let failures = 0, checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) { failures++; console.error(`FAIL: ${what}`); }
}

function venus(...args) {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  let json = null;
  try { json = r.stdout.trim() ? JSON.parse(r.stdout) : null; } catch { json = null; }
  return { code: r.status, json, err: r.stderr };
}

// A random scalar below r as 32 bytes big-endian (top byte < 0x73 keeps it under r).
function randomScalarBE() {
  const b = randomBytes(32);
  b[0] &= 0x3f;
  return b;
}
const le = (be) => Buffer.from(be).reverse();   // Filecoin keys are little-endian

const N = Number(process.env.N || 6);
const keys = [], msgs = [], venusSigs = [], nobleSigs = [], pks = [];
for (let i = 0; i < N; i++) {
  const skBE = randomScalarBE();
  const msg = randomBytes(1 + (i * 13) % 64);
  keys.push(skBE); msgs.push(msg);
  const H = bls.hash(msg, DST);

  const pk = venus('pubkey', hex(le(skBE)));
  check(pk.code === 0 && pk.json, `pubkey exit ${pk.code} ${pk.err}`);
  const nPk = bls.getPublicKey(skBE).toBytes();
  check(pk.json.pubkey === hex(nPk), `public key ${i} differs from noble`);
  check(/^t3[a-z2-7]{84}$/.test(pk.json.address), `t3 address shape ${pk.json.address}`);
  pks.push(pk.json.pubkey);

  const hp = venus('hash-to-g2', '--dst', DST, hex(msg));
  check(hp.code === 0 && hp.json.point === hex(H.toBytes()), `hash-to-g2 ${i} differs from noble`);

  // venus signs -> noble verifies (and the bytes match: signing is deterministic)
  const s = venus('sign', hex(le(skBE)), hex(msg));
  check(s.code === 0, `sign exit ${s.code} ${s.err}`);
  const nSig = bls.sign(H, skBE).toBytes();
  check(s.json.signature === hex(nSig), `signature ${i} differs from noble`);
  check(bls.verify(unhex(s.json.signature), H, nPk), `noble rejects venus signature ${i}`);
  venusSigs.push(s.json.signature); nobleSigs.push(hex(nSig));

  // noble signs -> venus verifies; tampered message and signature are refused by both
  const v = venus('verify', hex(nPk), hex(msg), hex(nSig));
  check(v.code === 0 && v.json.valid === true, `venus rejects noble signature ${i}: ${v.err}`);
  const other = Buffer.concat([msg, Buffer.from([1])]);
  const vt = venus('verify', hex(nPk), hex(other), hex(nSig));
  check(vt.code === 1 && vt.json && vt.json.valid === false, `venus accepts a tampered message ${i}`);
  check(!bls.verify(nSig, bls.hash(other, DST), nPk), `noble accepts a tampered message ${i}`);
  const badSig = Buffer.from(nSig); badSig[95] ^= 1;
  const vb = venus('verify', hex(nPk), hex(msg), hex(badSig));
  check(vb.code === 1, `venus accepts a tampered signature ${i}`);
}

// Aggregates: venus == noble == blst; venus verifies noble's aggregate and noble verifies venus's.
const agg = venus('aggregate', ...venusSigs);
check(agg.code === 0, `aggregate exit ${agg.code}`);
const nAgg = hex(bls.aggregateSignatures(nobleSigs.map(unhex)).toBytes());
check(agg.json.signature === nAgg, 'aggregate differs from noble');
const bAgg = hex(blst.aggregateSerializedSignatures(venusSigs.map(unhex)).toBytes());
check(agg.json.signature === bAgg, 'aggregate differs from blst');
const av = venus('aggregate-verify', '--pubkeys', pks.join(','), '--messages', msgs.map(hex).join(','), nAgg);
check(av.code === 0 && av.json.valid === true, `venus rejects noble aggregate: ${av.err}`);
const items = msgs.map((m, i) => ({ publicKey: unhex(pks[i]), message: bls.hash(m, DST) }));
check(bls.verifyBatch(unhex(agg.json.signature), items), 'noble rejects venus aggregate');
const avBad = venus('aggregate-verify', '--pubkeys', [...pks].reverse().join(','), '--messages',
  msgs.map(hex).join(','), nAgg);
check(N < 2 || (avBad.code === 1 && avBad.json.valid === false), 'venus accepts an aggregate with swapped keys');
const empty = venus('aggregate');
check(empty.json.signature === 'c0' + '0'.repeat(190), 'empty aggregate encoding');

// Zondax vectors: signatures over the CID of Zondax-serialized messages.
const vectors = join(here, '..', '..', '..', '..', 'shared', 'vectors', 'zondax');
let zondaxCases = 0;
if (existsSync(join(vectors, 'generated_test_cases.json'))) {
  const { default: signer } = await import('@zondax/filecoin-signing-tools');
  const dagCbor = await import('@ipld/dag-cbor');
  const { CID } = await import('multiformats/cid');
  const { blake2b256 } = await import('@multiformats/blake2/blake2b');
  const cases = JSON.parse(readFileSync(join(vectors, 'generated_test_cases.json'), 'utf8'));
  const txs = JSON.parse(readFileSync(join(vectors, 'txs.json'), 'utf8')).filter((c) => c.sk && c.pk && c.sig);
  for (const c of [...cases, ...txs.map((t) => ({ ...t, message: t.message ?? t.transaction }))]) {
    const cbor = Buffer.from(signer.transactionSerialize(c.message), 'hex');
    const cid = CID.create(1, dagCbor.code, await blake2b256.digest(cbor)).bytes;
    const v = venus('verify', c.pk, hex(cid), c.sig);
    check(v.code === 0 && v.json.valid === true, `Zondax case ${zondaxCases}: venus rejects the signature ${v.err}`);
    const s = venus('sign', c.sk, hex(cid));
    check(s.code === 0 && s.json.signature === c.sig, `Zondax case ${zondaxCases}: signature differs`);
    const pk = venus('pubkey', c.sk);
    check(pk.json && pk.json.pubkey === c.pk, `Zondax case ${zondaxCases}: public key differs`);
    if (c.message.From && c.message.From.startsWith('t3')) {
      check(pk.json.address === c.message.From, `Zondax case ${zondaxCases}: address ${pk.json.address} != ${c.message.From}`);
    }
    zondaxCases++;
  }
} else {
  console.log('SKIPPED (partly): ../shared/vectors/zondax not found; Zondax message-signature cases not run');
}

console.log(`bls interop: ${checks - failures}/${checks} checks passed (${N} random keys, ${zondaxCases} Zondax cases)`);
process.exit(failures === 0 ? 0 : 1);
