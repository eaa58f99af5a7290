/**
 * Which origin the POPUP result is posted to (reference/security.md T13): never '*'.
 */
import { describe, expect, it } from 'vitest';
import { targetOrigins } from '../../widget/controllers/parent-messenger.js';

const SR = 'https://www.smartrecruiters.com';
const SR_APP = 'https://app.smartrecruiters.com';

describe('targetOrigins', () => {
  it.each([
    { name: 'ancestor origin allowed', allowed: [SR, SR_APP], hints: [SR_APP, undefined], expected: [SR_APP] },
    { name: 'referrer allowed when no ancestorOrigins', allowed: [SR, SR_APP], hints: [undefined, SR], expected: [SR] },
    { name: 'an unlisted parent gets no special treatment', allowed: [SR], hints: ['https://evil.test', 'https://evil.test'], expected: [SR] },
    { name: 'no hints, several allowed: each exact origin', allowed: [SR, SR_APP], hints: [undefined, undefined], expected: [SR, SR_APP] },
  ])('$name', ({ allowed, hints, expected }) => {
    const result = targetOrigins(allowed, hints);
    expect(result).toEqual(expected);
    expect(result).not.toContain('*');
  });
});
