/**
 * The texts of one locale, as the templates ask for them. Built over the bundled English, so a
 * key a catalogue lacks shows in English rather than as an empty string.
 */
import type { Message, UiKey, WidgetCatalogue } from './catalogue.js';
import { formatMessage, messageParts, type MessageParams } from './format.js';
import { directionOf } from './negotiate.js';
import { ui as english } from './locales/en.js';

export class Translator {
  readonly dir: 'rtl' | 'ltr';
  readonly #ui: Readonly<Record<UiKey, Message>>;

  constructor(
    readonly locale = 'en',
    readonly catalogue?: WidgetCatalogue,
  ) {
    this.dir = directionOf(locale);
    this.#ui = { ...english, ...catalogue?.ui };
  }

  /** A text of the widget, placeholders filled. */
  t(key: UiKey, params?: MessageParams): string {
    return formatMessage(this.locale, this.#ui[key], params);
  }

  /** Like `t`, as parts, for placeholders that are markup (`<strong>` around a company id). */
  rich(key: UiKey, params: MessageParams): unknown[] {
    return messageParts(this.locale, this.#ui[key], params);
  }

  /**
   * What an error means, by its code. English has no error catalogue in the bundle: there the
   * server's (or the widget's) own text is shown, which is the most specific one.
   */
  error(code: string, fallback: string, seconds?: number): string {
    const message = this.catalogue?.errors[code];
    return message ? formatMessage(this.locale, message, { seconds, count: seconds }) : fallback;
  }

  /** A scope's description in this locale, else the one the kit configured. */
  scope(id: string, fallback: string): string {
    return this.catalogue?.scopes[id] ?? fallback;
  }
}
