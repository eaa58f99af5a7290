import type { PageText } from '../i18n/localization.js';
import { escapeHtml, page } from './html.js';

export interface ConsentPageModel {
  nonce: string;
  partnerName: string;
  scriptUrl: string;
  endpoint: string;
  companyId: string;
  redirect: string | null;
  /** The locale negotiated from Accept-Language: `<html lang dir>`, which the widget reads as its nearest `lang`. */
  text: PageText;
}

/** The page SmartRecruiters opens: the widget's script and one `<ats-consent>` element. */
export function renderConsentPage(model: ConsentPageModel): string {
  const redirect = model.redirect === null ? '' : ` redirect="${escapeHtml(model.redirect)}"`;
  return page({
    title: model.text.plain('consent.title', { partner: model.partnerName }),
    nonce: model.nonce,
    lang: model.text.lang,
    dir: model.text.dir,
    head: `<script type="module" nonce="${model.nonce}" src="${escapeHtml(model.scriptUrl)}"></script>`,
    body: `<ats-consent endpoint="${escapeHtml(model.endpoint)}" company-id="${escapeHtml(model.companyId)}"${redirect}></ats-consent>
<noscript><p>${model.text.text('consent.noscript')}</p></noscript>`,
  });
}
