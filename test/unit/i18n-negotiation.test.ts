/** Choosing the locale: Accept-Language against the locales the kit has, falling back by language, then to the default. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAcceptLanguage } from '../../server/i18n/accept-language.js';
import { Localization } from '../../server/i18n/localization.js';
import { resolveI18n } from '../../server/i18n/options.js';
import { directionOf, negotiateLocale } from '../../widget/i18n/negotiate.js';

const AVAILABLE = ['en', 'de', 'ar', 'pt-BR', 'fr'];

describe('parseAcceptLanguage', () => {
  it('orders by q, keeps header order on ties, drops q=0, * and junk', () => {
    expect(parseAcceptLanguage('fr;q=0.5, de-CH, en;q=0.8, ar;q=0, *;q=0.1')).toEqual(['de-CH', 'en', 'fr']);
    expect(parseAcceptLanguage('da, en-GB;q=0.8, en;q=0.7')).toEqual(['da', 'en-GB', 'en']);
    expect(parseAcceptLanguage(' de ; q=1.0 ,x;q=abc')).toEqual(['de']);
    expect(parseAcceptLanguage(undefined)).toEqual([]);
    expect(parseAcceptLanguage('')).toEqual([]);
  });
});

describe('negotiateLocale', () => {
  const pick = (...requested: string[]) => negotiateLocale(requested, AVAILABLE, 'en');

  it('exact, case-insensitive, spelled as shipped', () => {
    expect(pick('de')).toBe('de');
    expect(pick('PT-br')).toBe('pt-BR');
  });

  it('truncates subtags, then takes another variant of the language', () => {
    expect(pick('de-AT')).toBe('de');
    expect(pick('ar-EG')).toBe('ar');
    expect(pick('pt-PT')).toBe('pt-BR');
    expect(pick('pt')).toBe('pt-BR');
    expect(pick('fr-CA')).toBe('fr');
  });

  it('a more preferred language wins over a later exact match; unknown ones are skipped', () => {
    expect(pick('pt-PT', 'en')).toBe('pt-BR');
    expect(pick('zh-CN', 'ja', 'de')).toBe('de');
  });

  it('falls back to the default, never to an empty string', () => {
    expect(pick('zh')).toBe('en');
    expect(pick()).toBe('en');
    expect(pick('not a tag', '')).toBe('en');
    expect(negotiateLocale(['zh'], AVAILABLE, 'de')).toBe('de');
  });

  it('knows the right-to-left languages', () => {
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('he-IL')).toBe('rtl');
    expect(directionOf('de')).toBe('ltr');
  });
});

describe('Localization', () => {
  it('negotiates Accept-Language against shipped and partner locales, with the configured default', () => {
    const localization = new Localization(
      resolveI18n({
        defaultLocale: 'de',
        catalogues: { sv: { pages: { 'error.title': 'Kan inte fortsätta' } }, 'fr-CA': { pages: { 'error.title': 'Impossible de poursuivre' } } },
      }),
    );
    expect(localization.negotiate('ar-SA,en;q=0.5')).toBe('ar');
    expect(localization.negotiate('sv-SE')).toBe('sv');
    expect(localization.negotiate('fr-CA')).toBe('fr-CA');
    expect(localization.negotiate('ja')).toBe('de');
    expect(localization.negotiate(undefined)).toBe('de');
    expect(localization.page('sv').text('error.title')).toBe('Kan inte fortsätta');
    // A partner locale without a text falls back to its language's shipped catalogue, else English.
    expect(localization.page('fr-CA').text('error.title')).toBe('Impossible de poursuivre');
    expect(localization.page('fr-CA').text('error.heading')).toBe('Nous ne pouvons pas continuer');
    expect(localization.page('sv').text('error.heading')).toBe('We cannot continue');
  });

  it('serves the widget the best catalogue for a tag, with its locale, without the pages', () => {
    const localization = new Localization();
    expect(localization.served('pt-PT').locale).toBe('pt-BR');
    expect(localization.served('zh-CN').locale).toBe('en');
    expect(localization.negotiate('pt-PT,en;q=0.8')).toBe('pt-BR');
    const german = JSON.parse(localization.served('de-CH').body) as Record<string, unknown>;
    expect(german.locale).toBe('de');
    expect(Object.keys(german).sort()).toEqual(['errors', 'locale', 'scopes', 'ui']);
  });

  it('escapes page texts and the partner name', () => {
    const page = new Localization().page('de');
    expect(page.text('consent.title', { partner: '<b>Acme & Co</b>' })).toBe('&#60;b&#62;Acme &#38; Co&#60;/b&#62; mit SmartRecruiters verbinden');
    expect(page.dir).toBe('ltr');
    expect(new Localization().page('ar').dir).toBe('rtl');
  });

  it('reads a folder of <tag>.json catalogues; inline catalogues win over it', () => {
    const directory = mkdtempSync(join(tmpdir(), 'ats-locales-'));
    writeFileSync(join(directory, 'sv.json'), JSON.stringify({ ui: { approve: 'Godkänn', deny: 'Neka' }, scopes: { my_scope: 'Läsa dina möten' } }));
    const localization = new Localization(resolveI18n({ directory, catalogues: { sv: { ui: { deny: 'Avböj' } } } }));
    const served = JSON.parse(localization.served('sv-FI').body) as { locale: string; ui: Record<string, string>; scopes: Record<string, string> };
    expect(served.locale).toBe('sv');
    expect(served.ui.approve).toBe('Godkänn');
    expect(served.ui.deny).toBe('Avböj');
    expect(served.ui.cancel).toBe('Cancel');
    expect(served.scopes.my_scope).toBe('Läsa dina möten');
    writeFileSync(join(directory, 'da.json'), '{ not json');
    expect(() => resolveI18n({ directory })).toThrow(/da.json is not valid JSON/);
  });

  it('refuses a default it does not have, an unknown section and a non-string text', () => {
    expect(() => resolveI18n({ defaultLocale: 'ja' })).toThrow(/i18n.defaultLocale/);
    expect(() => resolveI18n({ catalogues: { de: { footer: {} } as never } })).toThrow(/unknown section/);
    expect(() => resolveI18n({ catalogues: { de: { ui: { approve: 42 } } as never } })).toThrow(/ui.approve must be a string/);
    expect(() => resolveI18n({ catalogues: { en: { ui: { approve: 'OK' } } } })).toThrow(/English "ui"/);
  });
});
