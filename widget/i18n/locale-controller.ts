/**
 * Chooses the widget's locale and loads its catalogue. The order: the element's `lang`, else
 * the nearest `lang` around it (on the consent page that is `<html lang>`, which the kit set from
 * Accept-Language), else English. English is bundled; any other locale is fetched once from the
 * kit (`<script's folder>/locales/<tag>.json`, or `locales-url`), which answers the best catalogue
 * it has for the tag. A failed fetch leaves English: the admin can still finish.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { WidgetCatalogue } from './catalogue.js';
import { languageOf, LOCALE_TAG } from './negotiate.js';
import { Translator } from './translator.js';

const loaded = new Map<string, Promise<WidgetCatalogue | undefined>>();

export class LocaleController implements ReactiveController {
  /** Undefined while a catalogue is on its way (the host renders nothing rather than flash English). */
  translator: Translator | undefined;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement & { localesUrl?: string | undefined }) {
    host.addController(this);
  }

  hostConnected(): void {
    const requested = this.host.closest('[lang]')?.getAttribute('lang')?.trim() ?? '';
    if (!LOCALE_TAG.test(requested) || languageOf(requested) === 'en') {
      this.translator = new Translator(requested || 'en');
      return;
    }
    const url = new URL(`${encodeURIComponent(requested)}.json`, this.host.localesUrl ?? new URL(/* @vite-ignore */ 'locales/', import.meta.url)).href;
    if (!loaded.has(url)) loaded.set(url, fetchCatalogue(url));
    void loaded.get(url)!.then((catalogue) => {
      this.translator = catalogue ? new Translator(catalogue.locale, catalogue) : new Translator();
      this.host.requestUpdate();
    });
  }
}

async function fetchCatalogue(url: string): Promise<WidgetCatalogue | undefined> {
  try {
    const response = await fetch(url, { credentials: 'omit' });
    const catalogue = (await response.json()) as WidgetCatalogue;
    return response.ok && LOCALE_TAG.test(catalogue.locale) ? catalogue : undefined;
  } catch {
    return undefined;
  }
}
