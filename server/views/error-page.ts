import type { ErrorBody } from '../../widget/protocol/http.js';
import { escapeHtml, page } from './html.js';

/** A plain error page: no script, no links built from input, the code shown for support. */
export function renderErrorPage(error: ErrorBody, nonce: string): string {
  return page({
    title: 'Cannot continue',
    nonce,
    body: `<section class="error" role="alert">
<h1>We cannot continue</h1>
<p>${escapeHtml(error.error_description)}</p>
<p>Error code: <code>${escapeHtml(error.error)}</code></p>
<p>Close this window and start again from SmartRecruiters.</p>
</section>`,
  });
}
