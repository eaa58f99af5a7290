/**
 * Failed sign-ins are throttled (429 + Retry-After), never a hard lock-out (ASVS 6.1.1), and the
 * throttle cannot be turned against the admin or around by the attacker (issue 13 findings 3, 4, 10).
 * Its own demo instance, behind one trusted proxy hop: the test plays that proxy, appending the
 * client's address to X-Forwarded-For, so clients at different addresses can be told apart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORDS } from '../../demo/users.js';
import { ConsentApi } from '../helpers/consent-api.js';
import { startTestDemo, type TestDemo } from '../helpers/demo-fixture.js';

let demo: TestDemo;
beforeAll(async () => {
  demo = await startTestDemo({ kitOptions: { trustProxy: 1 } });
});
afterAll(async () => {
  await demo?.stop();
});

/** A browser at `address`, behind our one trusted proxy; `spoofed` is what the client itself wrote into X-Forwarded-For. */
async function clientAt(address: string, spoofed?: string) {
  const api = new ConsentApi(demo.kitUrl);
  await api.bootstrap('THROTTLE');
  const forwarded = spoofed ? `${spoofed}, ${address}` : address;
  return {
    signIn: (username: string, password: string) => api.request('POST', '/sign-in', { username, password }, { 'x-forwarded-for': forwarded }).then((response) => {
      if (response.status === 200) api.remember(response.body as { session: string; csrfToken: string });
      return response;
    }),
  };
}

const ACME = 'admin@acme.test';
const ACME_PASSWORD = DEMO_PASSWORDS[ACME]!;

describe('sign-in throttling (ASVS 6.1.1)', () => {
  it('answers 429 with Retry-After after repeated failures from one client, without locking other users out', async () => {
    const attacker = await clientAt('203.0.113.10');
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await attacker.signIn(ACME, 'wrong-password')).status).toBe(401);
    const throttled = await attacker.signIn(ACME, ACME_PASSWORD);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(throttled.body.error).toBe('ATS_SIGN_IN_THROTTLED');
    expect((await (await clientAt('203.0.113.11')).signIn('admin@globex.test', DEMO_PASSWORDS['admin@globex.test']!)).status).toBe(200);
  });

  it('five failures from one address cannot keep the admin out: the right password from another address signs in (finding 3)', async () => {
    const attacker = await clientAt('203.0.113.20');
    for (let attempt = 0; attempt < 6; attempt += 1) await attacker.signIn(ACME, `guess-${attempt}`);
    expect((await attacker.signIn(ACME, 'guess-again')).status).toBe(429);
    expect((await (await clientAt('198.51.100.7')).signIn(ACME, ACME_PASSWORD)).status).toBe(200);
  });

  it('a client cannot choose its own address with X-Forwarded-For: spraying from one address is throttled (finding 4)', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 30; attempt += 1) {
      const sprayer = await clientAt('203.0.113.30', `10.9.${attempt}.${attempt}`);
      statuses.push((await sprayer.signIn(`user-${attempt}@spray.test`, 'password')).status);
    }
    // The per-client allowance is 4 × 5 failures; everything after it is refused.
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(20).every((status) => status === 429)).toBe(true);
  });

  it('case, width and stray spaces name the same account: they share one count (finding 10)', async () => {
    const attacker = await clientAt('203.0.113.40');
    const variants = ['Admin@Acme.test', ' admin@acme.test', 'ADMIN@ACME.TEST ', 'ａｄｍｉｎ@acme.test', 'admin@acme.test'];
    for (const variant of variants) expect((await attacker.signIn(variant, 'wrong-password')).status).toBe(401);
    expect((await attacker.signIn('AdMiN@aCmE.TeSt', ACME_PASSWORD)).status).toBe(429);
    // And the hook authenticates the canonical name: a variant with the right password signs in.
    expect((await (await clientAt('203.0.113.41')).signIn(' ADMIN@ACME.TEST', ACME_PASSWORD)).status).toBe(200);
  });
});
