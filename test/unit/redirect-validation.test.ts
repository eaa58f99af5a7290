/**
 * The `redirect` allow-list (reference/security.md T1; RFC 9700 §4.11): exact scheme+host+port.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidCompanyId, validateRedirect } from '../../server/consent/entry-params.js';
import { HOSTILE_REDIRECTS } from '../helpers/hostile-redirects.js';

const SR = 'https://www.smartrecruiters.com';
const ALLOWED = [SR];


describe('validateRedirect (T1)', () => {
  it('has at least 30 hostile vectors', () => {
    expect(HOSTILE_REDIRECTS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(HOSTILE_REDIRECTS.map((vector) => [JSON.stringify(vector).slice(0, 80), vector]))('rejects %s', (_label, vector) => {
    expect(validateRedirect(vector, ALLOWED)).toBeNull();
  });

  it.each([
    ['https://www.smartrecruiters.com/app/settings/integrations', 'https://www.smartrecruiters.com/app/settings/integrations'],
    ['https://www.smartrecruiters.com:443/x?y=1#z', 'https://www.smartrecruiters.com/x?y=1#z'],
    ['HTTPS://WWW.SMARTRECRUITERS.COM/App', 'https://www.smartrecruiters.com/App'],
  ])('accepts %s and returns its canonical form', (input, canonical) => {
    expect(validateRedirect(input, ALLOWED)).toBe(canonical);
  });

  it('property: whenever it accepts, the origin is exactly an allowed one', () => {
    const allowed = [SR, 'http://127.0.0.1:3001'];
    const urlish = fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.string(),
      fc.constantFrom(...HOSTILE_REDIRECTS),
      fc.tuple(fc.constantFrom(...allowed, 'https://www.smartrecruiters.com.', '//www.smartrecruiters.com'), fc.string()).map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(urlish, (value) => {
        const accepted = validateRedirect(value, allowed);
        return accepted === null || allowed.includes(new URL(accepted).origin);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('companyId format (T2)', () => {
  it.each(['ACME', 'acme-corp_1', 'A', 'X'.repeat(64), '5f1c3a9e8b7d6c5b4a392817'])('accepts %s', (value) => {
    expect(isValidCompanyId(value)).toBe(true);
  });
  it.each(['', '../x', '%2e%2e%2f', 'C1\u0000', 'C1%00', 'X'.repeat(300), '<img src=x onerror=alert(1)>', 'a b', '-leading', 'é'])(
    'rejects %j',
    (value) => {
      expect(isValidCompanyId(value)).toBe(false);
    },
  );
});
