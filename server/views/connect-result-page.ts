import { connectResultMessage, type ConnectResultPayload } from '../../widget/protocol/messages.js';
import type { PageText } from '../i18n/localization.js';
import { escapeHtml, page } from './html.js';

/**
 * JSON for an inline script: `<`, `>`, `&`, U+2028 and U+2029 escaped, so no value can close the
 * script or break the parse (node-oidc-provider's web_message approach; reference/security.md T5).
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export interface ConnectResultModel {
  nonce: string;
  flowId: string;
  payload: ConnectResultPayload;
  /** Exact origins the message may go to; the browser delivers it only to the opener's real one. */
  targetOrigins: readonly string[];
  title: string;
  message: string;
  text: PageText;
}

/**
 * The popup's last page: tells the opener (typed message, exact origins, never '*', no secret) and
 * closes. When the opener is gone (COOP) the widget learns the outcome by polling the server.
 */
export function renderConnectResultPage(model: ConnectResultModel): string {
  const data = scriptJson({ message: connectResultMessage(model.flowId, model.payload), origins: model.targetOrigins });
  return page({
    title: model.title,
    nonce: model.nonce,
    lang: model.text.lang,
    dir: model.text.dir,
    body: `<section class="error" role="status"><h1>${escapeHtml(model.title)}</h1><p>${escapeHtml(model.message)}</p><p>${model.text.text('connect.close')}</p></section>
<script nonce="${model.nonce}">
(function () {
  var data = ${data};
  if (window.opener) {
    for (var i = 0; i < data.origins.length; i++) {
      try { window.opener.postMessage(data.message, data.origins[i]); } catch (e) {}
    }
  }
  setTimeout(function () { window.close(); }, 300);
})();
</script>`,
  });
}
