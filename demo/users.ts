/**
 * The demo's user directory: two admins in two tenants (so cross-tenant refusal can be tried).
 * Passwords are stored as scrypt hashes; the clear-text passwords are printed by `npm start`
 * because this is a demo.
 */
import type { DirectoryUser } from '../server/auth/user-directory.js';
import type { AuthorizeCompany } from '../server/config.js';

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

/**
 * The demo's `authorizeCompany` hook: what the partner's own records know about who owns which
 * SmartRecruiters company. Here, company ids starting with `ACME` belong to Acme's tenant and
 * `GLOBEX` to Globex's; any other id may be claimed by whoever approves first. A real partner
 * looks the company up in its customer records (a contract, an SSO domain, an earlier link).
 */
const DEMO_COMPANY_OWNERS: ReadonlyArray<[prefix: string, tenantId: string]> = [
  ['ACME', 'tenant-acme'],
  ['GLOBEX', 'tenant-globex'],
];

export const demoAuthorizeCompany: AuthorizeCompany = ({ user, companyId }) => {
  const owner = DEMO_COMPANY_OWNERS.find(([prefix]) => companyId.toUpperCase().startsWith(prefix));
  return owner === undefined || owner[1] === user.tenantId;
};
