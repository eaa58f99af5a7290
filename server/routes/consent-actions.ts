/**
 * The admin's actions on the consent page: sign in, sign out, approve, deny.
 *
 * Each is a POST that passes the same-origin and CSRF checks (T3, T4). Sign-in replaces the session
 * with a fresh one (new CSRF token; only the validated transaction is carried over). Approve and
 * deny answer JSON to the widget, or 303 See Other to the stored `redirect` for a form post without
 * JavaScript (never 302/307: T7). The redirect is always the value validated at entry, never
 * anything from this request (T1).
 */
import type { Context } from 'koa';
import * as v from 'valibot';
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import { SignInRequest, type ConsentDecisionResponse, type SignInResponse } from '../../widget/protocol/http.js';
import { withResultParams } from '../consent/entry-params.js';
import { AtsServerError, invalidInput } from '../errors.js';
import { clientAddress } from '../http/client-address.js';
import type { ConsentSession } from '../http/consent-session.js';
import type { HtmlErrorPolicy } from '../http/error-handler.js';
import { isFormPost, readForm, readJson } from '../http/read-body.js';
import { checkCsrf, checkSameOrigin } from '../http/request-guards.js';
import type { KitServices } from '../services.js';

type Txn = NonNullable<ConsentSession['txn']>;

export function consentActionRoutes(services: KitServices) {
  const { config, sessions, throttle, exchange, store, now } = services;
  const audit = (entry: Parameters<typeof store.audit.append>[0]) => store.audit.append(entry, now());

  /** Same-origin + CSRF + a live session; returns the session and any form fields. */
  async function guardSession(ctx: Context): Promise<{ session: ConsentSession; form: URLSearchParams | null }> {
    checkSameOrigin(ctx, config.publicOrigin);
    const form = isFormPost(ctx) ? await readForm(ctx) : null;
    if (form) ctx.state.htmlErrors = { frameAncestors: [] } satisfies HtmlErrorPolicy;
    const session = await sessions.read(ctx);
    if (!session) throw new AtsServerError(401, AtsErrorCode.SessionRequired, 'Your session has expired. Reload the page and start again.');
    checkCsrf(ctx, session.csrf, form?.get('csrf'));
    return { session, form };
  }

  /** guardSession + a live consent transaction (approve and deny). */
  async function guard(ctx: Context): Promise<{ session: ConsentSession & { txn: Txn }; form: URLSearchParams | null }> {
    const { session, form } = await guardSession(ctx);
    if (!session.txn) {
      throw new AtsServerError(401, AtsErrorCode.SessionRequired, 'Your session has expired. Start again from SmartRecruiters.');
    }
    return { session: session as ConsentSession & { txn: Txn }, form };
  }

  // Sign-in serves the consent page and the connections view alike: a transaction is optional.
  async function signIn(ctx: Context): Promise<void> {
    const { session } = await guardSession(ctx);
    const parsed = v.safeParse(SignInRequest, await readJson(ctx));
    if (!parsed.success) throw invalidInput('Enter your email and password.');
    // One account name for the throttle and the hook alike, so case or width variants share one count.
    const username = config.normalizeUsername(parsed.output.username);
    const { password } = parsed.output;
    const client = clientAddress(ctx, config.trustProxy);
    // Only this client's own failures can hold it back: the admin's right password from elsewhere still works.
    const wait = throttle.retryAfterSeconds(username, client);
    if (wait > 0) {
      throw new AtsServerError(429, AtsErrorCode.SignInThrottled, `Too many failed sign-ins. Try again in ${wait} seconds.`, {
        headers: { 'retry-after': String(wait) },
      });
    }
    // Counted before the (slow) check, so concurrent guesses cannot all pass the throttle at once.
    throttle.recordFailure(username, client);
    const user = await config.authenticate({ username, password, ip: client });
    if (!user) {
      await audit({ event: 'sign-in', outcome: 'failure', companyId: session.txn?.companyId, actor: username });
      throw new AtsServerError(401, AtsErrorCode.SignInFailed, 'That email and password do not match an account.');
    }
    throttle.recordSuccess(username, client);
    const fresh = sessions.create({ ...(session.txn ? { txn: session.txn } : {}), ...(await sessions.signIn(user, now())) });
    const seal = await sessions.write(ctx, fresh);
    await audit({ event: 'sign-in', outcome: 'success', companyId: session.txn?.companyId, actor: user.id });
    const body: SignInResponse = {
      user: { displayName: user.displayName, email: user.email },
      csrfToken: fresh.csrf,
      session: seal,
    };
    ctx.body = body;
  }

  async function signOut(ctx: Context): Promise<void> {
    const { session } = await guardSession(ctx);
    // Every seal this user holds (a copied header, another tab) stops working, not just this one (T12).
    if (session.user) {
      await sessions.signOutEverywhere(session.user, now());
      await audit({ event: 'sign-out', outcome: 'info', companyId: session.txn?.companyId, actor: session.user.id });
    }
    const fresh = sessions.create(session.txn ? { txn: session.txn } : {});
    const seal = await sessions.write(ctx, fresh);
    ctx.body = { csrfToken: fresh.csrf, session: seal };
  }

  async function approve(ctx: Context): Promise<void> {
    const { session, form } = await guard(ctx);
    const user = session.user;
    if (!user) throw new AtsServerError(401, AtsErrorCode.SignInRequired, 'Sign in before approving.');
    const { companyId } = session.txn;
    await audit({
      event: 'approve',
      outcome: 'info',
      companyId,
      actor: user.id,
      detail: { tenantId: user.tenantId, scopes: config.sr.scopes.map((scope) => scope.id).join(' ') },
    });
    await exchange.approve(companyId, user);
    respond(ctx, form !== null, { status: 'approved', companyId }, session.txn.redirect);
  }

  async function deny(ctx: Context): Promise<void> {
    const { session, form } = await guard(ctx);
    const { companyId, redirect } = session.txn;
    await audit({ event: 'deny', outcome: 'info', companyId, actor: session.user?.id });
    // RFC 6749 §4.1.2.1: the refusal travels back as error=access_denied.
    const target = redirect === null ? null : withResultParams(redirect, { error: 'access_denied' });
    respond(ctx, form !== null, { status: 'denied', companyId }, target);
  }

  return { signIn, signOut, approve, deny };
}

function respond(ctx: Context, isForm: boolean, result: ConsentDecisionResponse, redirect: string | null): void {
  if (isForm && redirect !== null) {
    ctx.status = 303; // set before redirect(): Koa would otherwise answer 302 (T7)
    ctx.redirect(redirect);
    return;
  }
  ctx.body = redirect === null ? result : { ...result, redirectTo: redirect };
}
