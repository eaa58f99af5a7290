/**
 * The kit's languages: the shipped catalogues with the partner's own merged over them, the
 * negotiation of a request's locale, and the texts of the server-rendered pages. Built once at
 * start; a catalogue the widget asks for is serialized once per locale.
 */
import { createHash } from 'node:crypto';
import type { Catalogue, Message, PartialCatalogue, WidgetCatalogue } from '../../widget/i18n/catalogue.js';
import { formatMessage, messageParts, type MessageParams } from '../../widget/i18n/format.js';
import { directionOf, languageOf, negotiateLocale } from '../../widget/i18n/negotiate.js';
import { escapeHtml } from '../views/html.js';
import { parseAcceptLanguage } from './accept-language.js';
import { SHIPPED_LOCALES } from './shipped.js';

export interface ResolvedI18n {
  defaultLocale: string;
  /** The partner's catalogues by tag, already validated (options.ts). */
  catalogues: Readonly<Record<string, PartialCatalogue>>;
}

/** Texts of one locale for a server-rendered page; every method returns HTML-safe text. */
export interface PageText {
  lang: string;
  dir: 'rtl' | 'ltr';
  /** A page text, escaped. */
  text(key: string, params?: MessageParams): string;
  /** A page text as plain text, for a caller that escapes it (page titles). */
  plain(key: string, params?: MessageParams): string;
  /** A page text, escaped, with each placeholder replaced by HTML the caller built (and escaped). */
  html(key: string, params: Readonly<Record<string, string>>): string;
  /** What an error code means here, escaped: in English the server's own description (the most specific). */
  error(code: string, description: string): string;
}

export interface ServedCatalogue {
  locale: string;
  body: string;
  etag: string;
}

export class Localization {
  /** Every locale the kit can serve: shipped and the partner's, English first. */
  readonly locales: readonly string[];
  readonly defaultLocale: string;
  readonly #catalogues = new Map<string, Catalogue>();
  readonly #served = new Map<string, ServedCatalogue>();

  constructor(options: ResolvedI18n = { defaultLocale: 'en', catalogues: {} }) {
    this.locales = [...new Set(['en', ...Object.keys(SHIPPED_LOCALES), ...Object.keys(options.catalogues)])];
    this.defaultLocale = options.defaultLocale;
    for (const locale of this.locales) this.#catalogues.set(locale, this.#merge(locale, options.catalogues));
  }

  /** The locale for a request's Accept-Language: the best shipped match, else the configured default. */
  negotiate(acceptLanguage: string | undefined): string {
    return negotiateLocale(parseAcceptLanguage(acceptLanguage), this.locales, this.defaultLocale);
  }

  /** The full catalogue of a locale (after negotiation of the tag). */
  catalogue(tag: string): Catalogue {
    return this.#catalogues.get(negotiateLocale([tag], this.locales, this.defaultLocale))!;
  }

  /** What the widget loads for `tag`: the best catalogue for it, pages left out. */
  served(tag: string): ServedCatalogue {
    const locale = negotiateLocale([tag], this.locales, this.defaultLocale);
    let served = this.#served.get(locale);
    if (!served) {
      const { ui, errors, scopes } = this.#catalogues.get(locale)!;
      const body = JSON.stringify({ locale, ui, errors, scopes } satisfies WidgetCatalogue);
      served = { locale, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
      this.#served.set(locale, served);
    }
    return served;
  }

  page(locale: string): PageText {
    const { pages, errors } = this.catalogue(locale);
    const english = locale === 'en' || languageOf(locale) === 'en';
    const message = (key: string): Message => pages[key] ?? SHIPPED_LOCALES.en!.pages![key] ?? key;
    return {
      lang: locale,
      dir: directionOf(locale),
      plain: (key, params) => formatMessage(locale, message(key), params),
      text: (key, params) => escapeHtml(formatMessage(locale, message(key), params)),
      html: (key, params) =>
        messageParts(locale, message(key), params)
          .map((part, index) => (index % 2 ? String(part) : escapeHtml(String(part))))
          .join(''),
      error: (code, description) => escapeHtml(!english && errors[code] ? formatMessage(locale, errors[code]!) : description),
    };
  }

  /**
   * English, under the language's shipped catalogue (for a partner's `fr-CA` over the shipped
   * `fr`), under the locale's own, under the partner's: a missing text is never empty.
   */
  #merge(locale: string, partner: Readonly<Record<string, PartialCatalogue>>): Catalogue {
    const layers = [SHIPPED_LOCALES.en!];
    const language = languageOf(locale);
    if (language !== locale) layers.push(SHIPPED_LOCALES[language] ?? {}, partner[language] ?? {});
    layers.push(SHIPPED_LOCALES[locale] ?? {}, partner[locale] ?? {});
    const section = <K extends keyof Catalogue>(key: K) => Object.assign({}, ...layers.map((layer) => layer[key] ?? {})) as Catalogue[K];
    return { ui: section('ui'), errors: section('errors'), scopes: section('scopes'), pages: section('pages') };
  }
}
