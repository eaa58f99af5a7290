/**
 * The markup of each step. Pure functions of the state: every value bound here is text (Lit
 * escapes it); no value from the server or the URL is ever bound into an attribute that a browser
 * treats as a URL or as HTML (reference/security.md T5).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ConsentBootstrap, ConsentMode } from './protocol/http.js';

export type Step =
  | { name: 'loading' }
  | { name: 'sign-in'; error?: string }
  | { name: 'review' }
  | { name: 'working' }
  | { name: 'waiting' }
  | { name: 'done' }
  | { name: 'denied' }
  | { name: 'error'; message: string; code: string; retry?: () => void };

export interface StepActions {
  signIn(username: string, password: string): void;
  switchAccount(): void;
  approve(): void;
  deny(): void;
  approveArmed: boolean;
}

const TITLES: Record<Step['name'], string> = {
  loading: 'Loading…',
  'sign-in': 'Sign in to continue',
  review: 'Connect to SmartRecruiters?',
  working: 'Connecting…',
  waiting: 'Finishing an earlier attempt…',
  done: 'Connected',
  denied: 'Not connected',
  error: 'Something went wrong',
};

export function renderStep(
  step: Step,
  bootstrap: ConsentBootstrap | undefined,
  mode: ConsentMode,
  actions: StepActions,
): TemplateResult {
  const partner = bootstrap?.partnerName ?? '';
  return html`<section part="base" aria-labelledby="title" aria-busy=${step.name === 'loading' || step.name === 'working' || step.name === 'waiting' ? 'true' : 'false'}>
    <header part="header">
      ${partner ? html`<p part="partner">${partner}</p>` : nothing}
      <h1 part="title" id="title" tabindex="-1">${TITLES[step.name]}</h1>
    </header>
    <div part="body">${body(step, bootstrap, mode, actions)}</div>
  </section>`;
}

function body(step: Step, bootstrap: ConsentBootstrap | undefined, mode: ConsentMode, actions: StepActions) {
  switch (step.name) {
    case 'loading':
      return html`<p role="status">Loading the connection details…</p>`;
    case 'working':
      return html`<p role="status">Setting up the connection with SmartRecruiters. This takes a few seconds.</p>`;
    case 'waiting':
      return html`<p role="status">
        An earlier attempt to connect company <strong>${bootstrap?.companyId ?? ''}</strong> is still finishing. This page
        checks again every few seconds and carries on by itself.
      </p>`;
    case 'sign-in':
      return signIn(step.error, bootstrap, actions);
    case 'review':
      return review(bootstrap!, actions);
    case 'done':
      return html`<p role="status">${doneText(mode, bootstrap)}</p>`;
    case 'denied':
      return html`<p role="status">${mode === 'redirect' ? 'Returning you to SmartRecruiters…' : 'Nothing was shared. You can close this window.'}</p>`;
    case 'error':
      return html`<div part="error" role="alert">${step.message}</div>
        ${step.retry
          ? html`<div part="actions"><button part="retry-button" class="primary" type="button" @click=${step.retry}>Retry</button></div>`
          : html`<p>Close this window and start again from SmartRecruiters.</p>`}`;
  }
}

function doneText(mode: ConsentMode, bootstrap: ConsentBootstrap | undefined): string {
  const company = bootstrap?.companyId ?? '';
  if (mode === 'redirect') return `Company ${company} is connected. Returning you to SmartRecruiters…`;
  if (mode === 'popup') return `Company ${company} is connected. SmartRecruiters will close this window.`;
  return `Company ${company} is connected.`;
}

function signIn(error: string | undefined, bootstrap: ConsentBootstrap | undefined, actions: StepActions) {
  return html`${signInForm(
    error,
    html`Sign in to your ${bootstrap?.partnerName ?? ''} account to connect SmartRecruiters company <strong>${bootstrap?.companyId ?? ''}</strong>.`,
    actions.signIn,
  )}${html`<div part="actions"><button part="deny-button" type="button" @click=${actions.deny}>Cancel</button></div>`}`;
}

/** The sign-in form, shared by the consent and the connections views. */
export function signInForm(error: string | undefined, intro: unknown, onSubmit: (username: string, password: string) => void) {
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    onSubmit(String(data.get('username') ?? ''), String(data.get('password') ?? ''));
  };
  return html`<p>${intro}</p>
    <div part="error" role="alert">${error ?? ''}</div>
    <form part="sign-in-form" @submit=${submit}>
      <label>Email <input part="input" name="username" type="email" autocomplete="username" required /></label>
      <label>Password <input part="input" name="password" type="password" autocomplete="current-password" required /></label>
      <div part="actions"><button part="sign-in-button" class="primary" type="submit">Sign in</button></div>
    </form>`;
}

function review(bootstrap: ConsentBootstrap, actions: StepActions) {
  const user = bootstrap.user;
  return html`<p>
      Signed in as <strong>${user?.displayName ?? ''}</strong> (${user?.email ?? ''}).
      <button class="link" type="button" @click=${actions.switchAccount}>Not you? Switch account</button>
    </p>
    <p>
      Approving connects SmartRecruiters company <strong>${bootstrap.companyId}</strong> to
      ${bootstrap.partnerName}. ${bootstrap.partnerName} will be able to:
    </p>
    <ul part="scope-list">
      ${bootstrap.scopes.map((scope) => html`<li>${scope.description} <code>${scope.id}</code></li>`)}
    </ul>
    <p>SmartRecruiters also receives credentials to call ${bootstrap.partnerName} for this company. You can disconnect at any time in SmartRecruiters.</p>
    <div part="actions">
      <button part="consent-button" class="primary" type="button" ?disabled=${!actions.approveArmed} @click=${actions.approve}>Approve</button>
      <button part="deny-button" type="button" @click=${actions.deny}>Deny</button>
    </div>`;
}
