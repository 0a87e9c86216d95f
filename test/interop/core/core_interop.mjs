// Interop check of venusd's core types against independent JavaScript Filecoin libraries.
// Generates random secp256k1 keys and messages, computes addresses, message CBOR, CIDs and
// signatures with @noble/curves + @noble/hashes + @ipld/dag-cbor + multiformats + @glif/filecoin-address,
// and (where its input limits allow) @zondax/filecoin-signing-tools, then runs venusd's driver on the
// same cases and requires byte equality.
// Usage: node core_interop.mjs <path to venus_core_interop_driver> [cases=250] [seed]
// Exit: 0 all equal, 1 a mismatch, 77 skipped (JavaScript packages not installed).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
if (!existsSync(join(here, '..', 'node_modules', '@noble', 'curves'))) {
  console.log('SKIPPED: test/interop/node_modules is missing (run scripts/setup.sh)');
  process.exit(77);
}

const { secp256k1 } = await import('@noble/curves/secp256k1.js');
const { blake2b } = await import('@noble/hashes/blake2.js');
const dagCbor = await import('@ipld/dag-cbor');
const { CID } = await import('multiformats/cid');
const { blake2b256 } = await import('@multiformats/blake2/blake2b');
const glif = await import('@glif/filecoin-address');
const signer = (await import('@zondax/filecoin-signing-tools')).default;

const driver = process.argv[2];
const nCases = Number(process.argv[3] ?? 250);
let seed = BigInt(process.argv[4] ?? 20240601);

// Deterministic PRNG (splitmix64) so a failure can be replayed with the printed seed.
function next64() {
  seed = (seed + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
  let z = seed;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
  return z ^ (z >> 31n);
}
const rand = (n) => Number(next64() % BigInt(n));
const randBytes = (n) => Uint8Array.from({ length: n }, () => rand(256));
const randBig = (bits) => { let v = 0n; for (let i = 0; i < bits; i += 64) v = (v << 64n) | next64(); return v & ((1n << BigInt(bits)) - 1n); };
const pick = (...xs) => xs[rand(xs.length)];
const hex = (b) => Buffer.from(b).toString('hex');

function bigintBytes(v) {  // Filecoin BigInt: empty for 0, else 0x00 ‖ big-endian magnitude
  if (v === 0n) return new Uint8Array();
  let h = v.toString(16); if (h.length % 2) h = '0' + h;
  return Uint8Array.from([0, ...Buffer.from(h, 'hex')]);
}

function randomAddress() {
  const T = glif.CoinType.TEST;
  switch (rand(5)) {
    case 0: return glif.newIDAddress(pick(0n, 1n, 99n, 1000n, randBig(63)), T);
    case 1: return glif.newSecp256k1Address(secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(randBytes(48)), false), T);
    case 2: return glif.newActorAddress(randBytes(1 + rand(40)), T);
    case 3: return glif.newBLSAddress(randBytes(48), T);
    default: return glif.newDelegatedAddress(10, randBytes(20), T);
  }
}

const cases = [], expected = [];
for (let i = 0; i < nCases; i++) {
  const priv = secp256k1.utils.randomSecretKey(randBytes(48));
  const pub = secp256k1.getPublicKey(priv, false);
  const from = glif.newSecp256k1Address(pub, glif.CoinType.TEST);
  const to = randomAddress();
  const small = rand(2) === 0;  // Zondax takes numbers only below 2^53
  const num = (bits) => small ? BigInt(rand(2 ** 31)) : randBig(bits);
  const msg = {
    Version: 0, To: to.toString(), From: from.toString(),
    Nonce: num(64), Value: randBig(pick(0, 8, 64, 128, 200)), GasLimit: small ? BigInt(rand(2 ** 31)) : randBig(63),
    GasFeeCap: randBig(pick(0, 32, 64, 100)), GasPremium: randBig(pick(0, 16, 64)), Method: num(64),
    Params: randBytes(pick(0, 1, 32, 300)),
  };
  const tuple = [0, to.bytes, from.bytes, msg.Nonce, bigintBytes(msg.Value), msg.GasLimit,
    bigintBytes(msg.GasFeeCap), bigintBytes(msg.GasPremium), msg.Method, msg.Params];
  const unsigned = dagCbor.encode(tuple);
  const cid = CID.create(1, dagCbor.code, await blake2b256.digest(unsigned));
  const rec = secp256k1.sign(blake2b(cid.bytes, { dkLen: 32 }), priv, { prehash: false, format: 'recovered' });
  const sig = Uint8Array.from([...rec.subarray(1), rec[0]]);  // noble: v‖r‖s → Filecoin r‖s‖v
  const signed = dagCbor.encode([tuple, Uint8Array.from([1, ...sig])]);
  const signedCid = CID.create(1, dagCbor.code, await blake2b256.digest(signed));
  const extra = [randomAddress(), randomAddress(), randomAddress()];

  if (small) {  // second opinion from Zondax (Rust compiled to wasm)
    const zmsg = { To: msg.To, From: msg.From, Nonce: Number(msg.Nonce), Value: msg.Value.toString(),
      GasLimit: Number(msg.GasLimit), GasFeeCap: msg.GasFeeCap.toString(), GasPremium: msg.GasPremium.toString(),
      Method: Number(msg.Method), Params: Buffer.from(msg.Params).toString('base64') };
    const zcbor = signer.transactionSerialize(zmsg);
    const zsig = signer.transactionSign(zmsg, Buffer.from(priv).toString('base64')).Signature.Data;
    if (zcbor !== hex(unsigned) || zsig !== Buffer.from(sig).toString('base64')) {
      console.error(`oracles disagree on case ${i} (seed ${process.argv[4] ?? 20240601})`);
      process.exit(1);
    }
  }

  // Lotus JSON with exact 64-bit integers (JSON.stringify cannot write BigInt).
  const json = `{"Version":0,"To":"${msg.To}","From":"${msg.From}","Nonce":${msg.Nonce},"Value":"${msg.Value}",` +
    `"GasLimit":${msg.GasLimit},"GasFeeCap":"${msg.GasFeeCap}","GasPremium":"${msg.GasPremium}",` +
    `"Method":${msg.Method},"Params":${msg.Params.length ? `"${Buffer.from(msg.Params).toString('base64')}"` : 'null'}}`;
  cases.push(`{"key":"${Buffer.from(priv).toString('base64')}","message":${json},` +
    `"addresses":[${extra.map((a) => `"${hex(a.bytes)}"`).join(',')}]}`);
  expected.push({
    address: from.toString(), pubkey: hex(pub), unsigned_cbor: hex(unsigned), cid: cid.toString(),
    cid_bytes: hex(cid.bytes), signature: Buffer.from(sig).toString('base64'), signed_cbor: hex(signed),
    signed_cid: signedCid.toString(), verified: true,
    addresses: extra.map((a) => ({ testnet: a.toString(), mainnet: 'f' + a.toString().slice(1), reparsed: true })),
  });
}

const run = spawnSync(driver, [], { input: `[${cases.join(',')}]`, maxBuffer: 1 << 28 });
if (run.status !== 0) {
  console.error(`driver failed (${run.status}): ${run.stderr}`);
  process.exit(1);
}
const got = JSON.parse(run.stdout.toString());
let bad = 0;
for (let i = 0; i < nCases; i++) {
  const e = JSON.stringify(expected[i]), g = JSON.stringify(got[i]);
  if (e !== g) {
    if (bad++ < 5) console.error(`case ${i} differs:\n  js:     ${e}\n  venusd: ${g}`);
  }
}
console.log(`${nCases - bad}/${nCases} cases byte-equal (addresses, CBOR, CIDs, secp256k1 signatures; ` +
  `${3 * nCases} extra address round trips; Zondax agreed on every case below 2^53)`);
process.exit(bad ? 1 : 0);
