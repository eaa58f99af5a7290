/**
 * Every shipped locale has exactly English's messages, with the same placeholders (a plural
 * message counts the placeholders of all its forms together: Arabic's "two" form says the number
 * in words), and no message is empty.
 */
import { describe, expect, it } from 'vitest';
import type { Message } from '../../widget/i18n/catalogue.js';
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import { SHIPPED_LOCALES } from '../../server/i18n/shipped.js';
import { KNOWN_SR_SCOPES } from '../../server/config.js';

const SECTIONS = ['ui', 'errors', 'scopes', 'pages'] as const;
const english = SHIPPED_LOCALES.en!;

function placeholders(message: Message): string[] {
  const forms = typeof message === 'string' ? [message] : Object.values(message);
  return [...new Set(forms.flatMap((form) => [...form!.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!)))].sort();
}

describe('catalogues', () => {
  it('ships the eight locales of issue 10 and a right-to-left one', () => {
    expect(Object.keys(SHIPPED_LOCALES).sort()).toEqual(['ar', 'de', 'en', 'es', 'fr', 'it', 'nl', 'pl', 'pt-BR']);
  });

  for (const [locale, catalogue] of Object.entries(SHIPPED_LOCALES)) {
    for (const section of SECTIONS) {
      it(`${locale} ${section}: the same keys and placeholders as English, nothing empty`, () => {
        const reference = english[section] as Record<string, Message>;
        const texts = (catalogue[section] ?? {}) as Record<string, Message>;
        expect(Object.keys(texts).sort(), 'keys').toEqual(Object.keys(reference).sort());
        for (const [key, message] of Object.entries(texts)) {
          expect(placeholders(message), `placeholders of ${section}.${key}`).toEqual(placeholders(reference[key]!));
          const forms = typeof message === 'string' ? [message] : Object.values(message);
          for (const form of forms) expect(form!.trim(), `${section}.${key}`).not.toBe('');
          if (typeof message !== 'string') expect(message.other, `${section}.${key} has an "other" form`).toBeTruthy();
        }
      });
    }
  }

  it('the known scopes are the English catalogue\'s', () => {
    expect(KNOWN_SR_SCOPES).toEqual(english.scopes);
  });

  it('every error code a browser user can meet has an English text', () => {
    const shown = Object.values(AtsErrorCode).filter((code) => code in english.errors!);
    // The rest are machine-facing (SmartRecruiters' calls, the partner API, the assessment product).
    expect(shown.length).toBeGreaterThan(25);
    for (const code of [AtsErrorCode.Network, AtsErrorCode.SignInFailed, AtsErrorCode.PopupBlocked, AtsErrorCode.OpaqueOrigin]) {
      expect(english.errors![code]).toBeTruthy();
    }
  });
});
