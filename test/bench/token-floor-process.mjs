// The durable-token floor: the least work any token endpoint must do under DESIGN's firm decisions
// (secrets we issue are 256-bit random and stored only as an HMAC; a token is answered only once
// its row is durable), written as lean as it gets, in its own process like the kit and the bare
// route. Its req/s over the bare route's is about the most a token endpoint that keeps those
// decisions can reach on this machine (give or take the run's spread), so `npm run bench` prints it
// beside our token endpoint's: a budget far above it is out of reach of any implementation here.
//
// Per request, and nothing else: read the form body; the presented client secret's HMAC compared
// in constant time with a stored one; 32 random bytes; the new token's HMAC; that HMAC inserted
// into a SQLite table (WAL, synchronous = FULL, as the kit opens its file), the inserts of one
// event-loop turn sharing one transaction (group commit, as sqlite-group-commit.ts does); the RFC
// 6749 §5.1 answer after the COMMIT. What our endpoint does on top: look the client up, check its
// integration's state, throttle failures, refuse what RFC 6749 refuses, keep an index per client.
//
// Prints its URL, serves until killed or until its stdin closes.
import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const CLIENT_SECRET = 'floor-client-secret';
const key = createSecretKey(randomBytes(32));
const hmac = (text) => createHmac('sha256', key).update(text).digest();
const storedSecretHash = hmac(CLIENT_SECRET);

const directory = mkdtempSync(join(tmpdir(), 'ats-token-floor-'));
const sqlite = new Database(join(directory, 'floor.sqlite'));
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('synchronous = FULL');
sqlite.exec('CREATE TABLE tokens (token_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID');
const insert = sqlite.prepare('INSERT INTO tokens (token_hash, client_id, expires_at) VALUES (?, ?, ?)');
const begin = sqlite.prepare('BEGIN IMMEDIATE');
const commit = sqlite.prepare('COMMIT');

/** Rows handed over in this turn of the event loop, and who to answer once they are committed. */
let pending = [];
function commitPending() {
  const batch = pending;
  pending = [];
  begin.run();
  for (const row of batch) insert.run(row.tokenHash, row.clientId, row.expiresAt);
  commit.run();
  for (const row of batch) row.answer();
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    if (!timingSafeEqual(hmac(form.get('client_secret') ?? ''), storedSecretHash)) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
      return;
    }
    const token = randomBytes(32).toString('base64url');
    const answer = () => {
      const body = JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 });
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) }).end(body);
    };
    if (pending.length === 0) setImmediate(commitPending);
    pending.push({ tokenHash: hmac(token).toString('base64url'), clientId: form.get('client_id') ?? '', expiresAt: Date.now() + 3_600_000, answer });
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}/token`, clientSecret: CLIENT_SECRET }) + '\n');
});
const stop = () => {
  sqlite.close();
  rmSync(directory, { recursive: true, force: true });
  process.exit(0);
};
process.once('SIGTERM', () => server.close(stop));
// The bench gone (its end of stdin closed): exit rather than serve on as an orphan.
process.stdin.once('end', stop).resume();
