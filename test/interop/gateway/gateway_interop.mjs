// venusd's gateway driven by a wallet and a prover written here in JavaScript on the raw `ws` client:
// the go-jsonrpc channel protocol (xrpc.ch.val), RequestEvent/ResponseEvent with base64 JSON
// payloads, the verifyaddress challenge, InitConnect. Prints "N passed, N failed"; exit 1 on failure.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { newSecp256k1Address } from '@glif/filecoin-address';

const venusd = process.argv[2];
const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'venusd-gw-interop-'));
let passed = 0;
let failed = 0;
function check(cond, what) {
  if (cond) { passed++; } else { failed++; console.log(`FAIL: ${what}`); }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const b64 = (b) => Buffer.from(b).toString('base64');
const unb64 = (s) => Buffer.from(s ?? '', 'base64');

const daemon = spawn(venusd, ['--repo', repo, 'run', '--enable', 'auth,gateway', '--listen', '/ip4/127.0.0.1/tcp/0'],
  { stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
daemon.stderr.on('data', (d) => { stderr += d; });

// A go-jsonrpc client over one WebSocket: calls, and channel values routed by channel id.
function rpcSocket(url, token) {
  const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${token}`, 'X-VENUS-API-NAMESPACE': 'gateway.IGateway' } });
  const pending = new Map();
  const channels = new Map();
  const early = {};
  let next = 1;
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString());
    if (m.method === 'xrpc.ch.val') {
      // Values can arrive in the same chunk as the Listen result, before the handler is set: keep them.
      const fn = channels.get(m.params[0]);
      if (fn) { fn(m.params[1]); } else { (early[m.params[0]] ||= []).push(m.params[1]); }
      return;
    }
    if (m.method === 'xrpc.ch.close') return;
    const p = pending.get(m.id);
    if (p) { pending.delete(m.id); m.error ? p.reject(new Error(m.error.message)) : p.resolve(m.result); }
  });
  const call = (method, params) => new Promise((resolve, reject) => {
    const id = next++;
    pending.set(id, { resolve, reject });
    ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
  });
  const opened = new Promise((res, rej) => { ws.on('open', res); ws.on('error', rej); });
  const listen = (id, fn) => { channels.set(id, fn); for (const v of early[id] ?? []) fn(v); delete early[id]; };
  return { ws, call, listen, opened };
}

async function main() {
  for (let i = 0; i < 400 && !fs.existsSync(path.join(repo, 'api')); i++) await sleep(50);
  const port = Number(fs.readFileSync(path.join(repo, 'api'), 'utf8').split('/')[4]);
  const admin = fs.readFileSync(path.join(repo, 'token'), 'utf8').trim();
  const base = `http://127.0.0.1:${port}`;
  const rest = async (method, p, body) => {
    const r = await fetch(base + p, { method, headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return [r.status, await r.text()];
  };
  const call = async (method, params) => {
    const r = await fetch(`${base}/rpc/v2`, {
      method: 'POST', headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    return r.json();
  };
  check((await rest('PUT', '/user/new', { Name: 'jsuser' }))[0] === 200, 'user/new');
  const [st, tokBody] = await rest('POST', '/genToken', { name: 'jsuser', perm: 'sign' });
  check(st === 200, 'genToken');
  const token = JSON.parse(tokBody).token;
  check((await rest('POST', '/user/miner/add', { User: 'jsuser', Miner: 't01000', OpenMining: true }))[0] === 200, 'miner/add');

  // ---- the wallet ----
  const priv = secp256k1.utils.randomSecretKey ? secp256k1.utils.randomSecretKey() : crypto.randomBytes(32);
  const pub = secp256k1.getPublicKey(priv, false);
  const addr = newSecp256k1Address(pub).toString().replace(/^f/, 't');
  const walletRand = crypto.randomBytes(32);
  const signFil = (data) => {
    const rec = secp256k1.sign(blake2b(data, { dkLen: 32 }), priv, { prehash: false, format: 'recovered' });
    return Buffer.concat([rec.subarray(1), rec.subarray(0, 1)]);  // r|s|v
  };
  const w = rpcSocket(`ws://127.0.0.1:${port}/rpc/v2`, token);
  await w.opened;
  let initChannel = null;
  let challenges = 0;
  let challengeOk = true;
  let order = [];
  const onWalletEvent = async (ev) => {
    order.push(ev.Method);
    let payload;
    if (ev.Method === 'InitConnect') { initChannel = JSON.parse(unb64(ev.Payload).toString()).ChannelId; return; }
    if (ev.Method === 'WalletList') {
      payload = [addr];
    } else if (ev.Method === 'WalletSign') {
      const req = JSON.parse(unb64(ev.Payload).toString());
      const toSign = unb64(req.ToSign);
      if (req.Meta.Type === 'verifyaddress') {
        challenges++;
        const expect = crypto.createHash('sha256').update(Buffer.concat([unb64(req.Meta.Extra), walletRand])).digest();
        challengeOk = challengeOk && expect.equals(toSign) && req.Signer === addr;
      }
      payload = { Type: 1, Data: b64(signFil(toSign)) };
    }
    await w.call('Gateway.ResponseWalletEvent', [{ Id: ev.Id, Payload: b64(JSON.stringify(payload)), Error: '' }]);
  };
  const wchan = await w.call('Gateway.ListenWalletEvent', [{ SupportAccounts: [], SignBytes: b64(walletRand) }]);
  w.listen(wchan, onWalletEvent);
  check(typeof wchan === 'number', 'ListenWalletEvent returns a channel id');
  for (let i = 0; i < 100 && !initChannel; i++) await sleep(50);
  check(initChannel !== null, 'InitConnect arrives with a ChannelId');
  check(challenges === 1 && challengeOk, 'one verifyaddress challenge = sha256(gatewayRand ‖ SignBytes)');
  check(order[0] === 'WalletList' && order[order.length - 1] === 'InitConnect', `event order ${order.join(',')}`);

  const info = await call('Gateway.ListWalletInfo', []);
  check(JSON.stringify(info.result).includes(addr), 'ListWalletInfo shows the JS wallet address');
  const data = crypto.randomBytes(38);
  // The JS wallet signs what it is given: the gateway routes, the wallet decides.
  const signed = await call('Gateway.WalletSign', [addr, ['jsuser'], b64(data), { Type: 'message', Extra: null }]);
  check(signed.result && signed.result.Type === 1, `WalletSign routed to the JS wallet ${JSON.stringify(signed.error ?? '')}`);
  if (signed.result) {
    const sig = unb64(signed.result.Data);
    check(secp256k1.verify(sig.subarray(0, 64), blake2b(data, { dkLen: 32 }), pub, { prehash: false }), 'signature verifies');
  }
  const has = await call('Gateway.WalletHas', [addr, ['jsuser']]);
  check(has.result === true, 'WalletHas');

  // A second address announced with AddNewAddress is challenged too.
  // (same key under another account is not needed: reuse the channel with the same address → no-op)
  const added = await w.call('Gateway.AddNewAddress', [initChannel, [addr]]).then(() => true, () => false);
  check(added && challenges === 2, 'AddNewAddress re-runs the challenge');

  // ---- the prover ----
  const p = rpcSocket(`ws://127.0.0.1:${port}/rpc/v2`, token);
  await p.opened;
  let proverInit = false;
  const pchan = await p.call('Gateway.ListenProofEvent', [{ MinerAddress: 't01000' }]);
  p.listen(pchan, async (ev) => {
    if (ev.Method === 'InitConnect') { proverInit = true; return; }
    const req = JSON.parse(unb64(ev.Payload).toString());
    const proofs = [{ PoStProof: 3, ProofBytes: b64(Buffer.from(`js proof h=${req.Height}`)) }];
    await p.call('Gateway.ResponseProofEvent', [{ Id: ev.Id, Payload: b64(JSON.stringify(proofs)), Error: '' }]);
  });
  for (let i = 0; i < 100 && !proverInit; i++) await sleep(50);
  check(proverInit, 'prover InitConnect');
  const miners = await call('Gateway.ListConnectedMiners', []);
  check(JSON.stringify(miners.result) === '["t01000"]', `ListConnectedMiners ${JSON.stringify(miners)}`);
  const proof = await call('Gateway.ComputeProof', ['t01000', [], b64(crypto.randomBytes(32)), 42, 21]);
  check(proof.result && unb64(proof.result[0].ProofBytes).toString() === 'js proof h=42', `ComputeProof ${JSON.stringify(proof)}`);
  const notMine = await p.call('Gateway.ListenProofEvent', [{ MinerAddress: 't01234' }]).then(() => 'ok', (e) => e.message);
  check(notMine.includes('does not belong'), `a miner of someone else is refused (${notMine})`);

  // Disconnect: the wallet's stream goes away at once.
  w.ws.close();
  let gone = false;
  for (let i = 0; i < 100 && !gone; i++) {
    await sleep(50);
    gone = !JSON.stringify((await call('Gateway.ListWalletInfo', [])).result).includes(addr);
  }
  check(gone, 'a closed wallet is removed');
  p.ws.close();
}

main().catch((e) => { failed++; console.log(`FAIL: ${e.stack || e}`); }).finally(() => {
  daemon.kill('SIGTERM');
  console.log(`${passed} passed, ${failed} failed`);
  if (failed) console.log(stderr.split('\n').slice(-30).join('\n'));
  fs.rmSync(repo, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
});
