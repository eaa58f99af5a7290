/**
 * `ATS_USERS_FILE`: the standalone server's sign-in directory (a JSON list of users with scrypt
 * password hashes, see `demo/users.example.json`). The kit itself takes an `authenticate` hook;
 * only `ats-consent serve` reads this file.
 */
import { readFileSync } from 'node:fs';
import { userDirectory, type DirectoryUser } from '../auth/user-directory.js';
import type { Authenticate } from '../config.js';
import { ConfigError } from '../config-error.js';

export function loadUsers(path: string | undefined): DirectoryUser[] {
  if (!path) throw new ConfigError('authenticate', 'needs ATS_USERS_FILE (a JSON list of users) for the standalone server');
  let users: unknown;
  try {
    users = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError('authenticate', `could not read ATS_USERS_FILE ${path}: ${(error as Error).message}`);
  }
  if (!Array.isArray(users)) throw new ConfigError('authenticate', `ATS_USERS_FILE ${path} must hold a JSON list of users`);
  return users as DirectoryUser[];
}

export function usersFileAuthenticate(path: string | undefined): Authenticate {
  return userDirectory(loadUsers(path));
}
