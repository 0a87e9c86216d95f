// SPDX-License-Identifier: Apache-2.0 OR MIT
// venusd's auth tokens against the npm `jsonwebtoken` package (an independent HS256 implementation):
//  1. a token jsonwebtoken signs with a token's secret is byte-identical to venusd's and verifies there;
//  2. every venusd token verifies in jsonwebtoken with the secret stored for it (read from auth.db);
//  3. tampered tokens fail in both.
// Usage: node auth_interop.mjs <venusd>      (exit 77 = skipped: node_modules or sqlite3 missing)
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../node_modules/', import.meta.url));
let jwt;
try {
  jwt = require('jsonwebtoken');
} catch {
  console.log('SKIPPED: test/interop/node_modules/jsonwebtoken is missing (run npm ci in test/interop)');
  process.exit(77);
}
try {
  execFileSync('sqlite3', ['-version']);
} catch {
  console.log('SKIPPED: the sqlite3 command is missing (apt-get install sqlite3)');
  process.exit(77);
}

const venusd = process.argv[2];
const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'venus-auth-interop-'));
fs.writeFileSync(path.join(repo, 'config.toml'),
  '[api]\nlisten = "/ip4/127.0.0.1/tcp/0"\n[log]\nfile = ""\nlevel = "warn"\n[modules]\nenable = ["auth"]\n', { mode: 0o600 });
const daemon = spawn(venusd, ['--repo', repo, 'run'], { stdio: ['ignore', 'inherit', 'inherit'] });
let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
};

try {
  const deadline = Date.now() + 20000;
  while (!fs.existsSync(path.join(repo, 'api'))) {
    if (Date.now() > deadline) throw new Error('venusd did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  const port = fs.readFileSync(path.join(repo, 'api'), 'utf8').trim().split('/')[4];
  const admin = fs.readFileSync(path.join(repo, 'token'), 'utf8').trim();
  const base = `http://127.0.0.1:${port}`;
  const call = async (method, route, body, token = admin) => {
    const res = await fetch(base + route, {
      method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  };
  const verify = async (token) => call('POST', '/verify', { token });

  // 1. The repo token: its secret is keystore/jwt-secret. jsonwebtoken, given the same claims, must
  //    produce the very same bytes (same header, same claim order, no iat), and venusd accepts it.
  const secret = Buffer.from(fs.readFileSync(path.join(repo, 'keystore', 'jwt-secret'), 'utf8').trim(), 'hex');
  const fromJs = jwt.sign({ name: 'defaultLocalToken', perm: 'admin', ext: '' }, secret,
    { algorithm: 'HS256', noTimestamp: true });
  check(fromJs === admin, 'jsonwebtoken reproduces the repo token byte for byte');
  const v1 = await verify(fromJs);
  check(v1.status === 200 && v1.text === '{"name":"defaultLocalToken","perm":"admin","ext":""}', `venusd verifies it: ${v1.text}`);

  // 2. Per-token secrets: make users and tokens in venusd, read each token's secret from the store,
  //    verify in jsonwebtoken, then re-sign there and compare.
  for (const [name, perm, ext] of [['alice', 'read', ''], ['bob', 'sign', 'extra text'], ['carol-ü', 'admin', '{"x":1}']]) {
    const created = await call('PUT', '/user/new', { Name: name, State: 1 });
    check(created.status === 200, `create user ${name}`);
    const gen = await call('POST', '/genToken', { name, perm, extra: ext });
    const token = JSON.parse(gen.text).token;
    const hex = execFileSync('sqlite3', [path.join(repo, 'auth.db'),
      `SELECT secret FROM auth_tokens WHERE name = '${name.replace(/'/g, "''")}'`]).toString().trim();
    const key = Buffer.from(hex, 'hex');
    check(key.length === 32, `${name}: a 32-byte secret is stored with the token`);
    let decoded = null;
    try {
      decoded = jwt.verify(token, key, { algorithms: ['HS256'] });
    } catch (e) {
      check(false, `${name}: jsonwebtoken verifies venusd's token (${e.message})`);
    }
    if (decoded) {
      check(decoded.name === name && decoded.perm === perm && decoded.ext === ext && Object.keys(decoded).join() === 'name,perm,ext',
        `${name}: jsonwebtoken verifies venusd's token with payload ${JSON.stringify(decoded)}`);
    }
    const resigned = jwt.sign({ name, perm, ext }, key, { algorithm: 'HS256', noTimestamp: true });
    check(resigned === token, `${name}: jsonwebtoken signs the identical token`);
    check((await verify(resigned)).status === 200, `${name}: venusd verifies the jsonwebtoken-signed token`);
    // 3. Tampering: another key, another payload.
    const wrongKey = jwt.sign({ name, perm: 'admin', ext }, Buffer.alloc(32, 1), { algorithm: 'HS256', noTimestamp: true });
    check((await verify(wrongKey)).status === 401, `${name}: a token signed with another key is refused`);
    const [h, , s] = token.split('.');
    const other = perm === 'admin' ? 'read' : 'admin';
    const escalated = `${h}.${Buffer.from(JSON.stringify({ name, perm: other, ext })).toString('base64url')}.${s}`;
    check((await verify(escalated)).status === 401, `${name}: an edited payload is refused by venusd`);
    let rejected = false;
    try { jwt.verify(escalated, key, { algorithms: ['HS256'] }); } catch { rejected = true; }
    check(rejected, `${name}: and by jsonwebtoken`);
  }
} catch (e) {
  console.log(`FAIL ${e.stack}`);
  failures++;
} finally {
  daemon.kill('SIGTERM');
  await new Promise((r) => daemon.once('exit', r));
  fs.rmSync(repo, { recursive: true, force: true });
}
console.log(failures === 0 ? 'all interop checks passed' : `${failures} interop checks failed`);
process.exit(failures === 0 ? 0 : 1);
