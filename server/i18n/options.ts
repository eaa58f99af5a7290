/**
 * The partner's `i18n` option, checked at start like every other option: catalogues given inline
 * and/or as `<tag>.json` files in a folder (a catalogue file, no code), every text a string (or
 * plural forms of strings), only known sections, the default a locale the kit can serve.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PartialCatalogue } from '../../widget/i18n/catalogue.js';
import { LOCALE_TAG, negotiateLocale } from '../../widget/i18n/negotiate.js';
import { ConfigError } from '../config-error.js';
import type { ResolvedI18n } from './localization.js';
import { SHIPPED_LOCALES } from './shipped.js';

export interface I18nOptions {
  /** Locale of the consent page when Accept-Language names none the kit has. Default `en`. */
  defaultLocale?: string;
  /** Your texts by locale tag: `{ de: { scopes: { my_scope: '…' } }, 'fr-CA': { ui: { … } } }`. */
  catalogues?: Record<string, PartialCatalogue>;
  /** A folder of `<tag>.json` catalogue files (same shape), read at start; `catalogues` wins over it. */
  directory?: string;
}

const SECTIONS = new Set(['ui', 'errors', 'scopes', 'pages']);
const PLURAL_CATEGORIES = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);

export function resolveI18n(options: I18nOptions | undefined): ResolvedI18n {
  const catalogues: Record<string, PartialCatalogue> = { ...(options?.directory ? readDirectory(options.directory) : {}) };
  for (const [tag, catalogue] of Object.entries(options?.catalogues ?? {})) catalogues[tag] = mergeSections(catalogues[tag], checked(`i18n.catalogues.${tag}`, tag, catalogue));
  const available = ['en', ...Object.keys(SHIPPED_LOCALES), ...Object.keys(catalogues)];
  const defaultLocale = options?.defaultLocale ?? 'en';
  if (!LOCALE_TAG.test(defaultLocale) || negotiateLocale([defaultLocale], available, '') !== defaultLocale) {
    throw new ConfigError('i18n.defaultLocale', `"${defaultLocale}" is not a locale the kit has (${available.join(', ')})`);
  }
  return { defaultLocale, catalogues };
}

function readDirectory(directory: string): Record<string, PartialCatalogue> {
  let files: string[];
  try {
    files = readdirSync(directory).filter((file) => file.endsWith('.json'));
  } catch (error) {
    throw new ConfigError('i18n.directory', `cannot be read (${(error as Error).message})`);
  }
  const catalogues: Record<string, PartialCatalogue> = {};
  for (const file of files) {
    const tag = file.slice(0, -'.json'.length);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(join(directory, file), 'utf8'));
    } catch (error) {
      throw new ConfigError('i18n.directory', `${file} is not valid JSON (${(error as Error).message})`);
    }
    catalogues[tag] = checked(`i18n.directory ${file}`, tag, parsed);
  }
  return catalogues;
}

function checked(option: string, tag: string, value: unknown): PartialCatalogue {
  if (!LOCALE_TAG.test(tag)) throw new ConfigError(option, `"${tag}" is not a locale tag like "de" or "pt-BR"`);
  if (!isRecord(value)) throw new ConfigError(option, 'must be an object of sections (ui, errors, scopes, pages)');
  for (const [section, texts] of Object.entries(value)) {
    if (!SECTIONS.has(section) || !isRecord(texts)) throw new ConfigError(option, `has an unknown section "${section}" (ui, errors, scopes, pages)`);
    // The widget's English is bundled (it never loads a catalogue for English), so an override could not show.
    if (section === 'ui' && tag === 'en') throw new ConfigError(option, 'cannot override the widget\'s English "ui" texts (they are built into the widget); add another locale instead');
    for (const [key, text] of Object.entries(texts)) {
      const valid = typeof text === 'string' || (section !== 'scopes' && isRecord(text) && typeof text.other === 'string' && Object.entries(text).every(([category, form]) => PLURAL_CATEGORIES.has(category) && typeof form === 'string'));
      if (!valid) throw new ConfigError(option, `${section}.${key} must be a string${section === 'scopes' ? '' : ' or plural forms like {"one": "…", "other": "…"}'}`);
    }
  }
  return value as PartialCatalogue;
}

function mergeSections(base: PartialCatalogue | undefined, over: PartialCatalogue): PartialCatalogue {
  if (!base) return over;
  return {
    ui: { ...base.ui, ...over.ui },
    errors: { ...base.errors, ...over.errors },
    scopes: { ...base.scopes, ...over.scopes },
    pages: { ...base.pages, ...over.pages },
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
