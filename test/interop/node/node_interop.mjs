// Starts venusd (node module) in a temp repo, reads the chain with JavaScript clients nobody on this
// project wrote, and re-encodes every block header from its JSON to DAG-CBOR: the blake2b-256 CIDs
// must equal the node's (Lotus clients rebuild tipsets from JSON exactly like this).
// Prints "N passed, N failed"; exit code 1 on any failure.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import GlifRpc from '@glif/filecoin-rpc-client';
import * as glifAddress from '@glif/filecoin-address';
import * as dagCbor from '@ipld/dag-cbor';
import { CID } from 'multiformats/cid';
import { blake2b256 } from '@multiformats/blake2/blake2b';
import { LotusRPC } from '@filecoin-shipyard/lotus-client-rpc';
import { BrowserProvider } from '@filecoin-shipyard/lotus-client-provider-browser';
import { mainnet } from '@filecoin-shipyard/lotus-client-schema';

const newFromString = glifAddress.newFromString ?? glifAddress.default.newFromString;

const venusd = process.argv[2];
const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'venusd-node-interop-'));
let passed = 0;
let failed = 0;
function check(cond, what) {
  if (cond) { passed++; } else { failed++; console.log(`FAIL: ${what}`); }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const daemon = spawn(venusd, ['--repo', repo, 'run', '--enable', 'node', '--listen', '/ip4/127.0.0.1/tcp/0'],
  { stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
daemon.stderr.on('data', (d) => { stderr += d; });

// Go []byte: nil is JSON null and an empty CBOR byte string (cbor-gen), so null maps to empty bytes.
const b64 = (s) => new Uint8Array(s === null || s === undefined ? 0 : Buffer.from(s, 'base64'));
const cid = (o) => CID.parse(o['/']);
const addr = (s) => new Uint8Array(newFromString(s).bytes);
// go-state-types big.Int bytes: empty for 0, else a sign byte (0 = positive) and the magnitude.
function bigBytes(s) {
  let n = BigInt(s);
  if (n === 0n) return new Uint8Array(0);
  const neg = n < 0n;
  if (neg) n = -n;
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return new Uint8Array([neg ? 1 : 0, ...Buffer.from(hex, 'hex')]);
}
// crypto.Signature bytes: the type byte then the data.
const sig = (s) => (s === null || s === undefined ? null : new Uint8Array([s.Type, ...Buffer.from(s.Data ?? '', 'base64')]));

// lotus chain/types/blockheader.go tuple order.
function headerTuple(h) {
  return [
    addr(h.Miner),
    h.Ticket ? [b64(h.Ticket.VRFProof)] : null,
    h.ElectionProof ? [h.ElectionProof.WinCount, b64(h.ElectionProof.VRFProof)] : null,
    (h.BeaconEntries ?? []).map((e) => [e.Round, b64(e.Data)]),
    (h.WinPoStProof ?? []).map((p) => [p.PoStProof, b64(p.ProofBytes)]),
    h.Parents.map(cid),
    bigBytes(h.ParentWeight),
    h.Height,
    cid(h.ParentStateRoot),
    cid(h.ParentMessageReceipts),
    cid(h.Messages),
    sig(h.BLSAggregate),
    h.Timestamp,
    sig(h.BlockSig),
    h.ForkSignaling,
    bigBytes(h.ParentBaseFee),
  ];
}

async function cidOf(bytes) {
  const digest = await blake2b256.digest(bytes);
  return CID.createV1(dagCbor.code, digest);
}

async function main() {
  for (let i = 0; i < 200 && !fs.existsSync(path.join(repo, 'api')); i++) await sleep(50);
  const port = Number(fs.readFileSync(path.join(repo, 'api'), 'utf8').split('/')[4]);
  const token = fs.readFileSync(path.join(repo, 'token'), 'utf8').trim();
  const Glif = GlifRpc.default ?? GlifRpc;
  const glif = new Glif({ apiAddress: `http://127.0.0.1:${port}/rpc/v1`, token });

  const head = await glif.request('ChainHead');
  check(Array.isArray(head.Cids) && head.Cids.length === head.Blocks.length, 'ChainHead: Cids and Blocks align');
  for (let i = 0; i < head.Blocks.length; i++) {
    const bytes = dagCbor.encode(headerTuple(head.Blocks[i]));
    const recomputed = await cidOf(bytes);
    check(recomputed.toString() === head.Cids[i]['/'],
      `ChainHead block ${i}: recomputed ${recomputed} vs ${head.Cids[i]['/']}`);
    const raw = await glif.request('ChainReadObj', head.Cids[i]);
    check(Buffer.from(raw, 'base64').equals(Buffer.from(bytes)), `ChainReadObj of block ${i} equals the re-encoded header`);
    const block = await glif.request('ChainGetBlock', head.Cids[i]);
    const again = await cidOf(dagCbor.encode(headerTuple(block)));
    check(again.toString() === head.Cids[i]['/'], `ChainGetBlock ${i}: recomputed CID matches`);
  }
  const gen = await glif.request('ChainGetGenesis');
  check(gen.Height === 0 && gen.Cids[0]['/'] === head.Cids[0]['/'], 'ChainGetGenesis is the head of a fresh chain');

  // StateGetActor: its Head must be a stored object whose bytes hash to that CID.
  for (const a of ['t01000', 't0100', 't01', 't04']) {
    const actor = await glif.request('StateGetActor', a, []);
    check(typeof actor.Balance === 'string' && actor.Code && actor.Head, `StateGetActor ${a}: shape`);
    const raw = Buffer.from(await glif.request('ChainReadObj', actor.Head), 'base64');
    const c = await cidOf(new Uint8Array(raw));
    check(c.toString() === actor.Head['/'], `StateGetActor ${a}: Head ${actor.Head['/']} hashes right`);
    dagCbor.decode(new Uint8Array(raw));  // well-formed DAG-CBOR
  }
  let threw = '';
  try { await glif.request('StateGetActor', 't09999', []); } catch (e) { threw = String(e.message || e); }
  check(threw.includes('actor not found'), `StateGetActor of a missing actor: actor not found (${threw})`);

  // The shipyard client (HTTP transport, v0 path) reads the same head and actor.
  const shipyard = new LotusRPC(new BrowserProvider(`http://127.0.0.1:${port}/rpc/v0`, { token, transport: 'http' }),
    { schema: mainnet.fullNode });
  const h2 = await shipyard.chainHead();
  check(h2.Cids[0]['/'] === head.Cids[0]['/'], 'shipyard lotus-client-rpc: ChainHead over /rpc/v0');
  const b2 = await shipyard.chainGetBlock(h2.Cids[0]);
  check((await cidOf(dagCbor.encode(headerTuple(b2)))).toString() === h2.Cids[0]['/'],
    'shipyard: ChainGetBlock re-encodes to its CID');
  const a2 = await shipyard.stateGetActor('t01000', []);
  const a1 = await glif.request('StateGetActor', 't01000', []);
  check(JSON.stringify(a2) === JSON.stringify(a1), 'shipyard and glif read the same StateGetActor');
  const unknown = await cidOf(new Uint8Array([0x83, 1, 2, 3]));
  const lookup = await shipyard.stateSearchMsg({ '/': unknown.toString() });
  check(lookup === null, 'shipyard: v0 StateSearchMsg [cid] of an unknown message is null');
}

main()
  .catch((e) => { failed++; console.log(`FAIL: ${e.stack || e}`); })
  .finally(() => {
    daemon.kill('SIGTERM');
    console.log(`${passed} passed, ${failed} failed`);
    if (failed) console.log(stderr.slice(-2000));
    fs.rmSync(repo, { recursive: true, force: true });
    process.exit(failed ? 1 : 0);
  });
