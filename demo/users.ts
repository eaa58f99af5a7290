/**
 * The demo's user directory: two admins in two tenants (so cross-tenant refusal can be tried).
 * Passwords are stored as scrypt hashes; the clear-text passwords are printed by `npm start`
 * because this is a demo.
 */
import type { DirectoryUser } from '../server/auth/user-directory.js';

export const DEMO_USERS: DirectoryUser[] = [
  {
    id: 'user-acme-admin',
    tenantId: 'tenant-acme',
    username: 'admin@acme.test',
    email: 'admin@acme.test',
    displayName: 'Ada Admin (Acme)',
    passwordHash: 'scrypt$16384$yXtcqmh5_CmtmAoH3qRZfg$t6p9YojNOwBUroiVhahFqeGm3K1GW8Xf6tjdXLa-zkc',
  },
  {
    id: 'user-globex-admin',
    tenantId: 'tenant-globex',
    username: 'admin@globex.test',
    email: 'admin@globex.test',
    displayName: 'Gus Admin (Globex)',
    passwordHash: 'scrypt$16384$SviyV6EsEL0BXmsGAM0Erg$T1w8VIDoJ7wYiyhuYBIppGJQRqb9oq3YRluD6ZmaotQ',
  },
];

/** Shown by `npm start`; the hashes above are of exactly these. */
export const DEMO_PASSWORDS: Record<string, string> = {
  'admin@acme.test': 'acme-demo-pass',
  'admin@globex.test': 'globex-demo-pass',
};
