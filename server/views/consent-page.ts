import { escapeHtml, page } from './html.js';

export interface ConsentPageModel {
  nonce: string;
  partnerName: string;
  scriptUrl: string;
  endpoint: string;
  companyId: string;
  redirect: string | null;
}

/** The page SmartRecruiters opens: the widget's script and one `<ats-consent>` element. */
export function renderConsentPage(model: ConsentPageModel): string {
  const redirect = model.redirect === null ? '' : ` redirect="${escapeHtml(model.redirect)}"`;
  return page({
    title: `Connect ${model.partnerName} to SmartRecruiters`,
    nonce: model.nonce,
    head: `<script type="module" nonce="${model.nonce}" src="${escapeHtml(model.scriptUrl)}"></script>`,
    body: `<ats-consent endpoint="${escapeHtml(model.endpoint)}" company-id="${escapeHtml(model.companyId)}"${redirect}></ats-consent>
<noscript><p>This page needs JavaScript to connect your SmartRecruiters account.</p></noscript>`,
  });
}
