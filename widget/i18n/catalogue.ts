/**
 * The shape of one locale's catalogue. Messages are data: plain strings with `{name}`
 * placeholders, or, where a number changes the wording, one string per `Intl.PluralRules`
 * category (`{ one: '…', other: '…' }`, selected by the `count` parameter). No code, so a
 * partner's catalogue file is JSON of this same shape.
 */
import type { errors, pages, scopes, ui } from './locales/en.js';

export type PluralMessage = Readonly<Partial<Record<Intl.LDMLPluralRule, string>>> & { readonly other: string };
export type Message = string | PluralMessage;

/** Keys of the widget's own texts (the English catalogue's `ui` section is the reference). */
export type UiKey = keyof typeof ui;

export interface Catalogue {
  /** The widget's texts: every step, the sign-in form, the connections view. */
  ui: Readonly<Record<UiKey, Message>>;
  /** What an error means to the admin, by error code (widget/protocol/error-codes.ts). */
  errors: Readonly<Record<string, Message>>;
  /** Plain-language scope descriptions, by SmartRecruiters scope id. */
  scopes: Readonly<Record<string, string>>;
  /** The kit's server-rendered pages (consent page shell, error page, connect result page). */
  pages: Readonly<Record<string, Message>>;
}

/** A shipped locale: exactly English's keys in every section (the compiler checks the keys, a test the placeholders). */
export interface LocaleCatalogue {
  ui: Readonly<Record<UiKey, Message>>;
  errors: Readonly<Record<keyof typeof errors, Message>>;
  scopes: Readonly<Record<keyof typeof scopes, string>>;
  pages: Readonly<Record<keyof typeof pages, Message>>;
}

/** What a partner may pass for a locale: any subset; a missing text falls back (by language, then English). */
export interface PartialCatalogue {
  ui?: Partial<Record<UiKey, Message>>;
  errors?: Record<string, Message>;
  scopes?: Record<string, string>;
  pages?: Record<string, Message>;
}

/** What the kit serves to the widget for one locale (pages stay on the server). */
export interface WidgetCatalogue {
  /** The locale actually served, after negotiation (`pt-PT` asked, `pt-BR` served). */
  locale: string;
  ui: Partial<Record<UiKey, Message>>;
  errors: Record<string, Message>;
  scopes: Record<string, string>;
}
