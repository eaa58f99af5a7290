/**
 * Failed sign-ins are throttled (429 + Retry-After), never a hard lock-out (ASVS 6.1.1). Its own
 * demo instance: the throttle state would otherwise leak into other test files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORDS } from '../../demo/users.js';
import { ConsentApi } from '../helpers/consent-api.js';
import { startTestDemo, type TestDemo } from '../helpers/demo-fixture.js';

let demo: TestDemo;
beforeAll(async () => {
  demo = await startTestDemo();
});
afterAll(async () => {
  await demo?.stop();
});

describe('sign-in throttling (ASVS 6.1.1)', () => {
  it('answers 429 with Retry-After after repeated failures, without locking other users out', async () => {
    const api = new ConsentApi(demo.kitUrl);
    await api.bootstrap('THROTTLE');
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await api.signIn('admin@acme.test', 'wrong-password')).status).toBe(401);
    }
    const throttled = await api.signIn('admin@acme.test', DEMO_PASSWORDS['admin@acme.test']);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(throttled.body.error).toBe('ATS_SIGN_IN_THROTTLED');
    const other = new ConsentApi(demo.kitUrl);
    await other.bootstrap('THROTTLE');
    expect((await other.signIn('admin@globex.test')).status).toBe(200);
  });
});

