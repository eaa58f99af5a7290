/**
 * The postMessage guard is the only reader of MessageEvent.data (reference/security.md T14).
 */
import { describe, expect, it } from 'vitest';
import { connectResultMessage, consentResultMessage, isAtsMessage, parseAtsMessage } from '../../widget/protocol/index.js';

const SR = 'https://www.smartrecruiters.com';
const parent = { name: 'the framing window' };
const valid = consentResultMessage('txn-1', { status: 'approved', companyId: 'ACME' });

describe('isAtsMessage', () => {
  it('accepts every message the widget builds', () => {
    expect(isAtsMessage(valid)).toBe(true);
    expect(isAtsMessage(consentResultMessage('t', { status: 'denied', companyId: 'X', error: 'access_denied' }))).toBe(true);
  });

  it.each([
    ['a string', 'ats:consent-result'],
    ['null', null],
    ['missing type', { ns: 'ats', v: 1, id: 'x', payload: { status: 'approved', companyId: 'A' } }],
    ['wrong namespace', { ...valid, ns: 'other' }],
    ['future version', { ...valid, v: 2 }],
    ['unknown type', { ...valid, type: 'ats:unknown' }],
    ['unknown key (strict)', { ...valid, secret: 'x' }],
    ['unknown payload key (strict)', { ...valid, payload: { ...valid.payload, clientSecret: 'x' } }],
    ['bad status', { ...valid, payload: { status: 'maybe', companyId: 'A' } }],
    ['empty id', { ...valid, id: '' }],
  ])('rejects %s', (_name, data) => {
    expect(isAtsMessage(data)).toBe(false);
  });
});

describe('parseAtsMessage (T14 table)', () => {
  const cases: Array<{ name: string; origin: string; source: unknown; data: unknown; accepted: boolean }> = [
    { name: 'allowed origin, expected window, valid data', origin: SR, source: parent, data: valid, accepted: true },
    { name: 'evil origin', origin: 'https://evil.test', source: parent, data: valid, accepted: false },
    { name: 'allowed origin but another window', origin: SR, source: { other: true }, data: valid, accepted: false },
    { name: 'opaque "null" origin', origin: 'null', source: parent, data: valid, accepted: false },
    { name: 'suffix look-alike', origin: 'https://www.smartrecruiters.com.evil.test', source: parent, data: valid, accepted: false },
    { name: 'prefix look-alike', origin: 'https://evilwww.smartrecruiters.com', source: parent, data: valid, accepted: false },
    { name: 'http downgrade', origin: 'http://www.smartrecruiters.com', source: parent, data: valid, accepted: false },
    { name: 'string data', origin: SR, source: parent, data: JSON.stringify(valid), accepted: false },
    { name: '1 MB payload', origin: SR, source: parent, data: { ...valid, id: 'x'.repeat(1_000_000) }, accepted: false },
  ];
  it.each(cases)('$name → accepted=$accepted', ({ origin, source, data, accepted }) => {
    expect(parseAtsMessage({ origin, source, data }, [SR], parent) !== undefined).toBe(accepted);
  });

  it('does not throw on cyclic data', () => {
    const cyclic: Record<string, unknown> = { ns: 'ats' };
    cyclic.self = cyclic;
    expect(parseAtsMessage({ origin: SR, source: parent, data: cyclic }, [SR], parent)).toBeUndefined();
  });
});

describe('ats:connect-result', () => {
  it('accepts the popup result and rejects anything looser', () => {
    const message = connectResultMessage('flow-1', { status: 'connected', provider: 'te-recruit' });
    expect(isAtsMessage(message)).toBe(true);
    expect(isAtsMessage({ ...message, payload: { ...message.payload, accessToken: 'x' } })).toBe(false);
    expect(isAtsMessage({ ...message, payload: { status: 'connected', provider: '../evil' } })).toBe(false);
    expect(isAtsMessage({ ...message, payload: { status: 'maybe', provider: 'te-recruit' } })).toBe(false);
    expect(isAtsMessage({ ...message, type: 'toString' })).toBe(false);
  });
});
