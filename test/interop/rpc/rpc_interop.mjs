// Starts venusd in a temp repo and talks to it with JavaScript clients nobody on this project wrote.
// Prints "N passed, N failed"; exit code 1 on any failure.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import GlifRpc from '@glif/filecoin-rpc-client';

const venusd = process.argv[2];
const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'venusd-interop-'));
let passed = 0;
let failed = 0;
function check(cond, what) {
  if (cond) { passed++; } else { failed++; console.log(`FAIL: ${what}`); }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const daemon = spawn(venusd, ['--repo', repo, 'run', '--listen', '/ip4/127.0.0.1/tcp/0'], { stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
daemon.stderr.on('data', (d) => { stderr += d; });

async function main() {
  for (let i = 0; i < 200 && !fs.existsSync(path.join(repo, 'api')); i++) await sleep(50);
  const port = Number(fs.readFileSync(path.join(repo, 'api'), 'utf8').split('/')[4]);
  const token = fs.readFileSync(path.join(repo, 'token'), 'utf8').trim();
  const http = `http://127.0.0.1:${port}/rpc/v1`;

  // 1. @glif/filecoin-rpc-client (application/json, id 1, Bearer token).
  const Glif = GlifRpc.default ?? GlifRpc;
  const glif = new Glif({ apiAddress: http, token });
  const version = await glif.request('Version');
  check(version.APIVersion === 131840, 'glif: Version.APIVersion is 2.3.0');
  check(typeof version.Version === 'string' && version.Version.includes('venusd'), 'glif: Version.Version');
  // go-jsonrpc answers an unknown method with HTTP 500 and -32601; glif (axios) rejects on the status,
  // exactly as it does against Lotus.
  let threw = '';
  try { await glif.request('NoSuchMethod'); } catch (e) { threw = String(e.message || e); }
  check(threw.includes('500') || threw.includes('not found'), `glif: unknown method rejects (${threw})`);

  // 2. fetch as the shipyard browser provider sends it: text/plain, id 0.
  const r = await fetch(http, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'Filecoin.Version', params: [], id: 0 }),
  });
  const body = await r.json();
  check(r.status === 200 && body.id === 0 && body.result.Agent === 'venusd', 'fetch text/plain with id 0');
  const noAuth = await fetch(http, { method: 'POST', body: '{}' });
  check(noAuth.status === 401, 'fetch without a token is 401');

  // 3. Raw WebSocket (ws) with go-jsonrpc channels: call, subscribe, values, cancel, close.
  const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc/v1?token=${token}`);
  await new Promise((res, rej) => { ws.on('open', res); ws.on('error', rej); });
  const pending = new Map();
  const chanValues = [];
  let chanClosed = null;
  let pinged = false;
  ws.on('ping', () => { pinged = true; });
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString());
    if (msg.method === 'xrpc.ch.val') { chanValues.push(msg.params); return; }
    if (msg.method === 'xrpc.ch.close') { chanClosed = msg.params[0]; return; }
    const p = pending.get(msg.id);
    if (p) { pending.delete(msg.id); p(msg); }
  });
  let nextId = 1;
  const call = (method, params) => new Promise((res) => {
    const id = nextId++;
    pending.set(id, res);
    ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
  });

  const v = await call('Filecoin.Version', []);
  check(v.result && v.result.APIVersion === 131840, 'ws: Version');
  const batch = await new Promise((res) => {
    ws.once('message', (data) => res(JSON.parse(data.toString())));
    ws.send(JSON.stringify([{ jsonrpc: '2.0', id: 100, method: 'Filecoin.Session', params: [] },
                            { jsonrpc: '2.0', id: 101, method: 'Filecoin.Nope', params: [] }]));
  });
  check(Array.isArray(batch) && batch.length === 2 && batch[1].error.code === -32601, 'ws: batch');

  const subId = nextId;
  const sub = await call('Venus.StatusNotify', [20]);
  const chanId = sub.result;
  check(Number.isInteger(chanId) && chanId >= 1, 'ws: channel id returned');
  for (let i = 0; i < 100 && chanValues.length < 3; i++) await sleep(20);
  check(chanValues.length >= 3 && chanValues.every((p) => p[0] === chanId && p[1].Ready === true), 'ws: xrpc.ch.val stream');
  ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'xrpc.cancel', params: [subId] }));
  for (let i = 0; i < 100 && chanClosed === null; i++) await sleep(20);
  check(chanClosed === chanId, 'ws: xrpc.cancel closes the channel with xrpc.ch.close');
  const perm = await call('Filecoin.Shutdown', [1]);
  check(perm.error && perm.error.code === -32602, 'ws: wrong param count');
  ws.close();

  // A WebSocket with a bad token is refused at the upgrade.
  const bad = new WebSocket(`ws://127.0.0.1:${port}/rpc/v1`, { headers: { Authorization: 'Bearer nope' } });
  const refused = await new Promise((res) => {
    bad.on('unexpected-response', (_req, resp) => res(resp.statusCode));
    bad.on('open', () => res(101));
    bad.on('error', () => res(-1));
  });
  check(refused === 401, 'ws: upgrade with a bad token is 401');
  void pinged;
}

main()
  .catch((e) => { failed++; console.log(`FAIL: ${e.stack || e}`); })
  .finally(() => {
    daemon.kill('SIGTERM');
    daemon.on('exit', (code) => {
      check(code === 0, `daemon exits 0 on SIGTERM (got ${code})`);
      fs.rmSync(repo, { recursive: true, force: true });
      console.log(`${passed} passed, ${failed} failed`);
      if (failed) console.log(stderr);
      process.exit(failed ? 1 : 0);
    });
  });
