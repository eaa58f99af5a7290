/**
 * A message and its parameters become text through `Intl` only: the plural form by
 * `Intl.PluralRules`, arrays by `Intl.ListFormat`, dates by `Intl.DateTimeFormat`, numbers by
 * `Intl.NumberFormat`. The message decides the order of the words; code never concatenates.
 */
import type { Message } from './catalogue.js';

export type MessageParams = Readonly<Record<string, unknown>>;

/** The message as parts: text, and each placeholder's value (which may be a Lit template). */
export function messageParts(locale: string, message: Message, params: MessageParams = {}): unknown[] {
  const text = typeof message === 'string' ? message : (message[new Intl.PluralRules(locale).select(Number(params.count))] ?? message.other);
  return text.split(/\{(\w+)\}/).map((part, index) => (index % 2 ? formatValue(locale, params[part]) : part));
}

/** The message as one string (every value formatted for the locale). */
export const formatMessage = (locale: string, message: Message, params?: MessageParams): string => messageParts(locale, message, params).join('');

function formatValue(locale: string, value: unknown): unknown {
  if (Array.isArray(value)) return new Intl.ListFormat(locale, { type: 'conjunction' }).format(value.map(String));
  if (value instanceof Date) return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(value);
  if (typeof value === 'number') return new Intl.NumberFormat(locale).format(value);
  return value ?? '';
}
