/** doctor's last guard: a secret never reaches its output, as written or as JSON escapes it. */
import { describe, expect, it } from 'vitest';
import { redact, secretValues } from '../../server/cli/doctor/redact.js';

describe('redact', () => {
  const secret = 'se"cr\\et-with\nquotes';
  const secrets = secretValues({ ATS_SESSION_SECRET: secret, ATS_PARTNER_NAME: 'abcdefghij' });

  it('replaces a secret in text output', () => {
    expect(redact(`value: ${secret}.`, secrets)).toBe('value: [redacted].');
  });

  it('replaces it in JSON output, where quotes, backslashes and newlines are escaped', () => {
    const json = JSON.stringify({ message: `value: ${secret}` });
    const out = redact(json, secrets);
    expect(out).not.toContain(JSON.stringify(secret).slice(1, -1));
    expect(JSON.parse(out)).toEqual({ message: 'value: [redacted]' });
  });

  it('leaves values of variables that are not secrets alone', () => {
    expect(redact('abcdefghij', secrets)).toBe('abcdefghij');
  });
});
