/** The kit's server-rendered pages in the negotiated language: `<html lang dir>`, texts from the catalogue, input escaped. */
import { describe, expect, it } from 'vitest';
import { Localization } from '../../server/i18n/localization.js';
import { renderConnectResultPage } from '../../server/views/connect-result-page.js';
import { renderConsentPage } from '../../server/views/consent-page.js';
import { renderErrorPage } from '../../server/views/error-page.js';

const localization = new Localization();

describe('server-rendered pages', () => {
  it('the error page in Arabic: rtl, the code\'s text in Arabic, the code escaped inside <code>', () => {
    const html = renderErrorPage({ error: 'ATS_INVALID_COMPANY_ID', error_description: 'The link is missing a valid SmartRecruiters company id.' }, 'n0nce', localization.page('ar'));
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('ينقص الرابطَ معرّفُ شركة صالح في SmartRecruiters.');
    expect(html).toContain('رمز الخطأ: <code>ATS_INVALID_COMPANY_ID</code>');
    expect(html).not.toContain('We cannot continue');
  });

  it('the error page in English keeps the server\'s own description', () => {
    const html = renderErrorPage({ error: 'ATS_INVALID_INPUT', error_description: 'The "x" parameter must appear once.' }, 'n0nce', localization.page('en'));
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(html).toContain('The &#34;x&#34; parameter must appear once.');
    expect(html).toContain('Error code: <code>ATS_INVALID_INPUT</code>');
  });

  it('the consent page in German: lang for the widget, title and noscript in German, the partner name escaped', () => {
    const html = renderConsentPage({ nonce: 'n', partnerName: 'Acme <Tests>', scriptUrl: '/ats/assets/ats-consent.js', endpoint: '/ats/consent', companyId: 'ACME', redirect: null, text: localization.page('de') });
    expect(html).toContain('<html lang="de" dir="ltr">');
    expect(html).toContain('<title>Acme &#60;Tests&#62; mit SmartRecruiters verbinden</title>');
    expect(html).toContain('Diese Seite benötigt JavaScript');
  });

  it('the connect result page in Polish', () => {
    const text = localization.page('pl');
    const html = renderConnectResultPage({
      nonce: 'n',
      flowId: 'f'.repeat(24),
      payload: { status: 'connected', provider: 'te-recruit' },
      targetOrigins: ['https://partner.example'],
      title: text.plain('connect.connected.title'),
      message: text.plain('connect.connected', { provider: 'TE Recruit' }),
      text,
    });
    expect(html).toContain('<html lang="pl" dir="ltr">');
    expect(html).toContain('<h1>Połączono</h1><p>TE Recruit: połączono.</p><p>Możesz zamknąć to okno.</p>');
  });
});
