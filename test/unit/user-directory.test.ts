/**
 * The standalone server's user list (server/auth/user-directory.ts): a right password signs in, a
 * wrong one or an unknown username does not, and an unknown username still costs a scrypt run at
 * the real hashes' cost (against a random decoy hash that no password matches), so response time
 * does not tell which usernames exist.
 */
import { describe, expect, it } from 'vitest';
import { hashPassword, userDirectory, verifyPassword } from '../../server/auth/user-directory.js';

describe('userDirectory', () => {
  it('admits the right password only, and answers an unknown username as a wrong password', async () => {
    const passwordHash = await hashPassword('correct horse');
    const user = { id: 'u1', tenantId: 't1', displayName: 'Ada', email: 'ada@acme.test', username: 'ada@acme.test', passwordHash };
    const authenticate = userDirectory([user]);
    expect(await authenticate({ username: 'Ada@acme.test', password: 'correct horse', ip: '203.0.113.1' })).toEqual({
      id: 'u1',
      tenantId: 't1',
      displayName: 'Ada',
      email: 'ada@acme.test',
    });
    expect(await authenticate({ username: 'ada@acme.test', password: 'wrong', ip: '203.0.113.1' })).toBeNull();
    expect(await authenticate({ username: 'nobody@acme.test', password: 'correct horse', ip: '203.0.113.1' })).toBeNull();
  });

  it('refuses malformed hashes without running scrypt on them', async () => {
    expect(await verifyPassword('x', 'bcrypt$10$abc$def')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$16384$salt')).toBe(false);
  });
});
