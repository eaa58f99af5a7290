import type { ErrorBody } from '../../widget/protocol/http.js';
import type { PageText } from '../i18n/localization.js';
import { escapeHtml, page } from './html.js';

/** A plain error page: no script, no links built from input, the code shown for support. */
export function renderErrorPage(error: ErrorBody, nonce: string, text: PageText): string {
  return page({
    title: text.plain('error.title'),
    nonce,
    lang: text.lang,
    dir: text.dir,
    body: `<section class="error" role="alert">
<h1>${text.text('error.heading')}</h1>
<p>${text.error(error.error, error.error_description)}</p>
<p>${text.html('error.code', { code: `<code>${escapeHtml(error.error)}</code>` })}</p>
<p>${text.text('error.restart')}</p>
</section>`,
  });
}
