/**
 * The locales the kit ships, by tag. English is the reference; the catalogue test checks every
 * other one against it key by key and placeholder by placeholder.
 */
import type { PartialCatalogue } from '../../widget/i18n/catalogue.js';
import * as en from '../../widget/i18n/locales/en.js';
import * as de from '../../widget/i18n/locales/de.js';
import * as ar from '../../widget/i18n/locales/ar.js';

export const SHIPPED_LOCALES: Readonly<Record<string, PartialCatalogue>> = { en, de, ar };
