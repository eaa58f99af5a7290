/**
 * A small ready-made `authenticate` hook: a list of users with scrypt-hashed passwords. The demo
 * uses it and the standalone server loads one from `ATS_USERS_FILE`; a partner normally plugs in
 * its own sign-in instead.
 *
 * Password hashes look like `scrypt$<N>$<salt b64url>$<hash b64url>`. An unknown user still costs
 * one scrypt run, so response time does not reveal which usernames exist.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Authenticate, AuthenticatedUser } from '../config.js';

export interface DirectoryUser extends AuthenticatedUser {
  /** Sign-in name (usually the email). */
  username: string;
  passwordHash: string;
}

const COST = 16384;
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, { N: COST });
  return `scrypt$${COST}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, cost, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !cost || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), { N: Number(cost) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export function userDirectory(users: readonly DirectoryUser[]): Authenticate {
  const byName = new Map(users.map((user) => [user.username.toLowerCase(), user]));
  // What an unknown username is checked against: one scrypt run at the same cost as a real user's,
  // against a random hash that no password matches. Random bytes rather than the hash of a random
  // password, so that building it runs no scrypt: a scrypt at startup, on the libuv pool, left its
  // 16 MB work area (and glibc's arena around it) resident in the process for good, about 29 MB.
  const decoy = `scrypt$${COST}$${randomBytes(16).toString('base64url')}$${randomBytes(KEY_LENGTH).toString('base64url')}`;
  return async ({ username, password }) => {
    const user = byName.get(username.toLowerCase());
    const matches = await verifyPassword(password, user?.passwordHash ?? decoy);
    if (!user || !matches) return null;
    const { id, tenantId, displayName, email } = user;
    return { id, tenantId, displayName, email };
  };
}
