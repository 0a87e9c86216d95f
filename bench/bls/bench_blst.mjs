// The blst reference for bench/bls/run.sh: the same work as venus_bls_bench with native blst
// (@chainsafe/blst, installed under test/interop/node_modules). Its verify uses the Ethereum POP DST;
// the DST does not change the cost. Prints "metric value unit" lines. Env: N, REPS, CLOCK.
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', '..', 'test', 'interop', 'package.json'));
const blst = require('@chainsafe/blst');

const N = Number(process.env.N || 100);
const REPS = Number(process.env.REPS || 5);
// Wall time by default; CLOCK=cpu uses the process's CPU time (as venus_bls_bench does), which other
// tenants of a shared box disturb less.
const now = process.env.CLOCK === 'cpu'
  ? () => { const u = process.cpuUsage(); return u.user + u.system; }   // microseconds
  : () => Number(process.hrtime.bigint()) / 1e3;

const sks = [], pks = [], msgs = [];
for (let i = 0; i < N; i++) {
  const sk = blst.SecretKey.fromKeygen(randomBytes(32));
  sks.push(sk); pks.push(sk.toPublicKey()); msgs.push(randomBytes(38));  // CID-sized messages
}
for (let i = 0; i < 3; i++) blst.verify(msgs[i], pks[i], sks[i].sign(msgs[i]));  // warm-up

let sigs = [];
let t0 = now();
for (let r = 0; r < REPS; r++) { sigs = []; for (let i = 0; i < N; i++) sigs.push(sks[i].sign(msgs[i])); }
console.log(`blst_sign_us ${((now() - t0) / (REPS * N)).toFixed(1)} us/op`);

let ok = true;
t0 = now();
for (let r = 0; r < REPS; r++) for (let i = 0; i < N; i++) ok = blst.verify(msgs[i], pks[i], sigs[i]) && ok;
console.log(`blst_verify_us ${((now() - t0) / (REPS * N)).toFixed(1)} us/op`);

const sigBytes = sigs.map((s) => s.toBytes()), pkBytes = pks.map((p) => p.toBytes());
t0 = now();
for (let r = 0; r < REPS; r++) for (let i = 0; i < N; i++) {
  ok = blst.verify(msgs[i], blst.PublicKey.fromBytes(pkBytes[i], true), blst.Signature.fromBytes(sigBytes[i], true)) && ok;
}
console.log(`blst_verify_from_bytes_us ${((now() - t0) / (REPS * N)).toFixed(1)} us/op`);

let agg;
t0 = now();
for (let r = 0; r < REPS; r++) agg = blst.aggregateSignatures(sigs);
console.log(`blst_aggregate_sigs_${N}_us ${((now() - t0) / REPS).toFixed(1)} us/op`);

t0 = now();
for (let r = 0; r < REPS; r++) ok = blst.aggregateVerify(msgs, pks, agg) && ok;
const av = (now() - t0) / REPS;
console.log(`blst_aggregate_verify_${N}_ms ${(av / 1000).toFixed(2)} ms/op`);
console.log(`blst_aggregate_verify_per_msg_us ${(av / N).toFixed(1)} us/msg`);

const aggBytes = agg.toBytes();
t0 = now();
for (let r = 0; r < REPS; r++) {
  const ps = pkBytes.map((b) => blst.PublicKey.fromBytes(b, true));
  ok = blst.aggregateVerify(msgs, ps, blst.Signature.fromBytes(aggBytes, true)) && ok;
}
console.log(`blst_aggregate_verify_${N}_from_bytes_ms ${((now() - t0) / REPS / 1000).toFixed(2)} ms/op`);
if (!ok) { console.error('blst: a verification failed'); process.exit(1); }
