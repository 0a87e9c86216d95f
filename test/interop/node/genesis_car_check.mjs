// Reads a genesis CAR written by `venusd chain export-genesis` with @ipld/car (an independent CAR
// implementation), recomputes every block's blake2b-256 CID, decodes every block with @ipld/dag-cbor,
// and checks the root is a height-0 block header whose DAG-CBOR links are all in the file (the
// genesis parent, Lotus's fixed template block, excepted). Prints a JSON summary; exits 1 on failure.
import fs from 'node:fs';
import { CarReader } from '@ipld/car';
import * as dagCbor from '@ipld/dag-cbor';
import { CID } from 'multiformats/cid';
import { blake2b256 } from '@multiformats/blake2/blake2b';

const GENESIS_PARENT = 'bafyreiaqpwbbyjo4a42saasj36kkrpv4tsherf2e7bvezkert2a7dhonoi';
const fail = (msg) => { console.error(`FAIL: ${msg}`); process.exit(1); };

const reader = await CarReader.fromBytes(fs.readFileSync(process.argv[2]));
const roots = await reader.getRoots();
if (roots.length !== 1) fail(`${roots.length} roots`);
const have = new Map();
for await (const { cid, bytes } of reader.blocks()) {
  if (cid.multihash.code !== blake2b256.code) fail(`${cid} is not blake2b-256`);
  const again = CID.create(1, cid.code, await blake2b256.digest(bytes));
  if (!again.equals(cid)) fail(`${cid} does not match its bytes (${again})`);
  have.set(cid.toString(), bytes);
}
const links = (v, out) => {
  const asCid = CID.asCID(v);
  if (asCid) { out.push(asCid); return; }
  if (v instanceof Uint8Array || v === null || typeof v !== 'object') return;
  for (const x of Array.isArray(v) ? v : Object.values(v)) links(x, out);
};
let checked = 0;
for (const [cid, bytes] of have) {
  if (CID.parse(cid).code !== dagCbor.code) continue;
  const out = [];
  links(dagCbor.decode(bytes), out);
  for (const l of out) {
    if (l.code !== dagCbor.code || l.toString() === GENESIS_PARENT) continue;
    if (!have.has(l.toString())) fail(`${cid} links to ${l}, which is not in the CAR`);
    checked++;
  }
}
const header = dagCbor.decode(have.get(roots[0].toString()) ?? fail('root not in CAR'));
// BlockHeader tuple: [Miner, Ticket, ElectionProof, BeaconEntries, WinPoStProof, Parents, ParentWeight,
//  Height, ParentStateRoot, ParentMessageReceipts, Messages, BLSAggregate, Timestamp, BlockSig, ForkSignaling, ParentBaseFee]
if (!Array.isArray(header) || header.length !== 16) fail('root is not a 16-field block header');
if (header[7] !== 0) fail(`root height ${header[7]}`);
if (!have.has(header[8].toString())) fail('state root missing');
console.log(JSON.stringify({ root: roots[0].toString(), blocks: have.size, links: checked, stateRoot: header[8].toString() }));
