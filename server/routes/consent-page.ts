/**
 * The page SmartRecruiters opens (`consentUrl?companyId=…[&redirect=…]`, seed 001 §3) and the JSON
 * bootstrap the widget loads from it. Both validate the entry parameters before anything
 * interactive exists; the bootstrap is where the validated values are sealed into the session.
 */
import type { Context } from 'koa';
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import type { ConsentBootstrap, IntegrationStatus } from '../../widget/protocol/http.js';
import { isValidCompanyId, validateRedirect } from '../consent/entry-params.js';
import { randomId } from '../crypto/secrets.js';
import { badRequest } from '../errors.js';
import type { HtmlErrorPolicy } from '../http/error-handler.js';
import { singleQueryParam } from '../http/read-body.js';
import { consentPageHeaders } from '../http/security-headers.js';
import type { KitPaths, KitServices } from '../services.js';
import { renderConsentPage } from '../views/consent-page.js';

interface ConsentEntry {
  companyId: string;
  redirect: string | null;
}

function readEntry(ctx: Context, allowedOrigins: readonly string[]): ConsentEntry {
  const companyId = singleQueryParam(ctx, 'companyId');
  if (companyId === undefined || !isValidCompanyId(companyId)) {
    throw badRequest(AtsErrorCode.InvalidCompanyId, 'The link is missing a valid SmartRecruiters company id.');
  }
  const rawRedirect = singleQueryParam(ctx, 'redirect');
  if (rawRedirect === undefined) return { companyId, redirect: null };
  const redirect = validateRedirect(rawRedirect, allowedOrigins);
  if (redirect === null) {
    throw badRequest(AtsErrorCode.InvalidRedirect, 'The link points back to an address that is not SmartRecruiters.');
  }
  return { companyId, redirect };
}

export function consentPageRoutes(services: KitServices, paths: KitPaths) {
  const { config, sessions, store } = services;
  const allowedOrigins = config.sr.allowedOrigins;

  async function showConsentPage(ctx: Context): Promise<void> {
    ctx.state.htmlErrors = { frameAncestors: allowedOrigins } satisfies HtmlErrorPolicy;
    const entry = readEntry(ctx, allowedOrigins);
    const nonce = randomId();
    consentPageHeaders(ctx, {
      nonce,
      frameAncestors: allowedOrigins,
      formTargets: entry.redirect ? [new URL(entry.redirect).origin] : [],
    });
    ctx.type = 'html';
    const locale = services.localization.negotiate(ctx.get('accept-language'));
    ctx.set('content-language', locale);
    ctx.body = renderConsentPage({
      text: services.localization.page(locale),
      nonce,
      partnerName: config.partnerName,
      scriptUrl: paths.widgetScript,
      endpoint: paths.consentPage,
      companyId: entry.companyId,
      redirect: entry.redirect,
    });
  }

  async function bootstrap(ctx: Context): Promise<void> {
    const entry = readEntry(ctx, allowedOrigins);
    const previous = await sessions.read(ctx);
    // A signed-in admin stays signed in when SmartRecruiters opens the page again; the
    // transaction (company, redirect) is always replaced by the validated values of this entry.
    const session = sessions.create({
      txn: { id: randomId(), companyId: entry.companyId, redirect: entry.redirect },
      ...sessions.keepSignIn(previous),
    });
    const seal = await sessions.write(ctx, session);
    const row = session.user ? await store.integrations.findByCompany(entry.companyId) : undefined;
    const integration: IntegrationStatus = row && row.tenant_id === session.user?.tenantId ? row.state : 'none';
    const body: ConsentBootstrap = {
      txnId: session.txn!.id,
      companyId: entry.companyId,
      mode: entry.redirect ? 'redirect' : 'popup',
      partnerName: config.partnerName,
      scopes: config.sr.scopes,
      parentOrigins: allowedOrigins,
      user: session.user ? { displayName: session.user.displayName, email: session.user.email } : null,
      integration,
      csrfToken: session.csrf,
      session: seal,
    };
    ctx.body = body;
  }

  return { showConsentPage, bootstrap };
}
