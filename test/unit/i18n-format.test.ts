/** Messages become text through Intl only: plural forms, lists, dates and numbers per locale. */
import { describe, expect, it } from 'vitest';
import { formatMessage, messageParts } from '../../widget/i18n/format.js';
import { Translator } from '../../widget/i18n/translator.js';
import { errors as arabicErrors } from '../../widget/i18n/locales/ar.js';
import { errors as germanErrors, ui as germanUi } from '../../widget/i18n/locales/de.js';

describe('formatMessage', () => {
  it('fills placeholders in the order the message says', () => {
    expect(formatMessage('de', '{b} vor {a}', { a: 'A', b: 'B' })).toBe('B vor A');
  });

  it('chooses the plural form by Intl.PluralRules, English and Arabic', () => {
    const message = { one: '{count} second', other: '{count} seconds' };
    expect(formatMessage('en', message, { count: 1 })).toBe('1 second');
    expect(formatMessage('en', message, { count: 30 })).toBe('30 seconds');
    const arabic = arabicErrors.ATS_SIGN_IN_THROTTLED;
    expect(formatMessage('ar', arabic, { count: 1, seconds: 1 })).toContain('ثانية واحدة');
    expect(formatMessage('ar', arabic, { count: 2, seconds: 2 })).toContain('ثانيتين');
    expect(formatMessage('ar', arabic, { count: 5, seconds: 5 })).toMatch(/[5٥] ثوانٍ/);
  });

  it('formats lists with Intl.ListFormat, dates with Intl.DateTimeFormat, numbers with Intl.NumberFormat', () => {
    expect(formatMessage('en', 'Shares {items}.', { items: ['jobs', 'candidates', 'results'] })).toBe('Shares jobs, candidates, and results.');
    expect(formatMessage('de', '{items}', { items: ['Stellen', 'Kandidaten'] })).toBe('Stellen und Kandidaten');
    expect(formatMessage('de', 'Am {date}', { date: new Date(Date.UTC(2026, 11, 2, 12)) })).toBe('Am 02.12.2026');
    expect(formatMessage('de', '{n}', { n: 1234.5 })).toBe('1.234,5');
  });

  it('keeps markup values as parts (for Lit to render), never joined into a string', () => {
    const strong = { markup: true };
    expect(messageParts('en', 'Company {company} is connected.', { company: strong })).toEqual(['Company ', strong, ' is connected.']);
  });
});

describe('Translator', () => {
  it('falls back to English per key, and to the given text for an error it has no words for', () => {
    const german = new Translator('de', { locale: 'de', ui: { approve: germanUi.approve }, errors: germanErrors, scopes: {} });
    expect(german.t('approve')).toBe('Zustimmen');
    expect(german.t('deny')).toBe('Deny');
    expect(german.error('ATS_SIGN_IN_THROTTLED', 'english', 30)).toBe('Zu viele fehlgeschlagene Anmeldungen. Versuchen Sie es in 30 Sekunden erneut.');
    expect(german.error('ATS_SOMETHING_NEW', 'The server said so.')).toBe('The server said so.');
    expect(german.scope('candidates_read', 'configured')).toBe('configured');
    expect(new Translator('ar').dir).toBe('rtl');
  });

  it('in English shows the server\'s own, most specific error text', () => {
    expect(new Translator().error('ATS_INVALID_INPUT', 'The connection request is incomplete.')).toBe('The connection request is incomplete.');
  });
});
