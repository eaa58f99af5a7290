/**
 * The locales the kit ships, by tag. English is the reference; the catalogue test checks every
 * other one against it key by key and placeholder by placeholder.
 */
import type { PartialCatalogue } from '../../widget/i18n/catalogue.js';
import * as en from '../../widget/i18n/locales/en.js';
import * as de from '../../widget/i18n/locales/de.js';
import * as ar from '../../widget/i18n/locales/ar.js';
import * as es from '../../widget/i18n/locales/es.js';
import * as fr from '../../widget/i18n/locales/fr.js';
import * as it from '../../widget/i18n/locales/it.js';
import * as nl from '../../widget/i18n/locales/nl.js';
import * as pl from '../../widget/i18n/locales/pl.js';
import * as ptBR from '../../widget/i18n/locales/pt-BR.js';

export const SHIPPED_LOCALES: Readonly<Record<string, PartialCatalogue>> = { en, de, fr, es, it, nl, 'pt-BR': ptBR, pl, ar };
