/**
 * The markup of each step. Pure functions of the state: every value bound here is text (Lit
 * escapes it); no value from the server or the URL is ever bound into an attribute that a browser
 * treats as a URL or as HTML (reference/security.md T5).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ConsentBootstrap, ConsentMode } from './protocol/http.js';
import type { Translator } from './i18n/translator.js';
import type { ShownError } from './errors.js';

export type Step =
  | { name: 'loading' }
  | { name: 'sign-in'; error?: ShownError }
  | { name: 'review' }
  | { name: 'working' }
  | { name: 'waiting' }
  | { name: 'done' }
  | { name: 'denied' }
  | { name: 'error'; error: ShownError; retry?: () => void };

export interface StepActions {
  signIn(username: string, password: string): void;
  switchAccount(): void;
  approve(): void;
  deny(): void;
  approveArmed: boolean;
}

export function renderStep(
  step: Step,
  bootstrap: ConsentBootstrap | undefined,
  mode: ConsentMode,
  actions: StepActions,
  t: Translator,
): TemplateResult {
  const partner = bootstrap?.partnerName ?? '';
  return html`<section part="base" lang=${t.locale} dir=${t.dir} aria-labelledby="title" aria-busy=${step.name === 'loading' || step.name === 'working' || step.name === 'waiting' ? 'true' : 'false'}>
    <header part="header">
      ${partner ? html`<p part="partner">${partner}</p>` : nothing}
      <h1 part="title" id="title" tabindex="-1">${t.t(`title.${step.name}`)}</h1>
    </header>
    <div part="body">${body(step, bootstrap, mode, actions, t)}</div>
  </section>`;
}

function body(step: Step, bootstrap: ConsentBootstrap | undefined, mode: ConsentMode, actions: StepActions, t: Translator) {
  const company = html`<strong>${bootstrap?.companyId ?? ''}</strong>`;
  switch (step.name) {
    case 'loading':
      return html`<p role="status">${t.t('loading')}</p>`;
    case 'working':
      return html`<p role="status">${t.t('working')}</p>`;
    case 'waiting':
      return html`<p role="status">${t.rich('waiting', { company })}</p>`;
    case 'sign-in':
      return html`${signInForm(step.error && errorText(t, step.error), t.rich('sign-in.intro', { partner: isolated(bootstrap?.partnerName ?? ''), company }), actions.signIn, t)}
        <div part="actions"><button part="deny-button" type="button" @click=${actions.deny}>${t.t('cancel')}</button></div>`;
    case 'review':
      return review(bootstrap!, actions, t);
    case 'done':
      return html`<p role="status">${t.rich(`done.${mode}`, { company: isolated(bootstrap?.companyId ?? '') })}</p>`;
    case 'denied':
      return html`<p role="status">${t.t(mode === 'redirect' ? 'denied.redirect' : 'denied')}</p>`;
    case 'error':
      return html`<div part="error" role="alert">${errorText(t, step.error)}</div>
        ${step.retry
          ? html`<div part="actions"><button part="retry-button" class="primary" type="button" @click=${step.retry}>${t.t('retry')}</button></div>`
          : html`<p>${t.t('restart')}</p>`}`;
  }
}

/**
 * A name or address inside a sentence, isolated from its direction: an e-mail or a Latin product
 * name in an Arabic sentence keeps its own order and does not reorder the words around it.
 * (`<strong>` values are isolated by the styles.)
 */
const isolated = (value: string) => html`<bdi>${value}</bdi>`;

export const errorText = (t: Translator, error: ShownError): string => t.error(error.code, error.message, error.retryAfterSeconds);

/** The sign-in form, shared by the consent and the connections views. */
export function signInForm(error: string | undefined, intro: unknown, onSubmit: (username: string, password: string) => void, t: Translator) {
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    onSubmit(String(data.get('username') ?? ''), String(data.get('password') ?? ''));
  };
  return html`<p>${intro}</p>
    <div part="error" role="alert">${error ?? ''}</div>
    <form part="sign-in-form" @submit=${submit}>
      <label>${t.t('email')} <input part="input" name="username" type="email" autocomplete="username" required /></label>
      <label>${t.t('password')} <input part="input" name="password" type="password" autocomplete="current-password" required /></label>
      <div part="actions"><button part="sign-in-button" class="primary" type="submit">${t.t('sign-in')}</button></div>
    </form>`;
}

function review(bootstrap: ConsentBootstrap, actions: StepActions, t: Translator) {
  const user = bootstrap.user;
  const partner = bootstrap.partnerName;
  return html`<p>
      ${t.rich('review.user', { name: html`<strong>${user?.displayName ?? ''}</strong>`, email: isolated(user?.email ?? '') })}
      <button class="link" type="button" @click=${actions.switchAccount}>${t.t('review.switch')}</button>
    </p>
    <p>${t.rich('review.intro', { company: html`<strong>${bootstrap.companyId}</strong>`, partner: isolated(partner) })}</p>
    <ul part="scope-list">
      ${bootstrap.scopes.map((scope) => html`<li>${t.scope(scope.id, scope.description)} <code>${scope.id}</code></li>`)}
    </ul>
    <p>${t.rich('review.credentials', { partner: isolated(partner) })}</p>
    <div part="actions">
      <button part="consent-button" class="primary" type="button" ?disabled=${!actions.approveArmed} @click=${actions.approve}>${t.t('approve')}</button>
      <button part="deny-button" type="button" @click=${actions.deny}>${t.t('deny')}</button>
    </div>`;
}
