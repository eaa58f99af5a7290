/**
 * Markup of the provider-connections view: the same parts and custom properties as the consent
 * view, real buttons with the provider named in each label, notices in status/alert regions.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ConnectionsController } from './controllers/connections-controller.js';
import type { ConnectionView, ProviderView } from './protocol/http.js';
import { errorText, signInForm } from './ats-consent.templates.js';
import type { Translator } from './i18n/translator.js';

export function renderConnections(controller: ConnectionsController, t: Translator): TemplateResult {
  const { state, bootstrap } = controller;
  const title = state.name === 'list' ? t.t('connections.title') : t.t(`title.${state.name}`);
  return html`<section part="base" lang=${t.locale} dir=${t.dir} aria-labelledby="title" aria-busy=${state.name === 'loading' ? 'true' : 'false'}>
    <header part="header"><h1 part="title" id="title" tabindex="-1">${title}</h1></header>
    <div part="body">${body(controller)}</div>
  </section>`;

  function body(c: ConnectionsController) {
    switch (state.name) {
      case 'loading':
        return html`<p role="status">${t.t('connections.loading')}</p>`;
      case 'error':
        return html`<div part="error" role="alert">${errorText(t, state.error)}</div>`;
      case 'sign-in':
        return signInForm(state.error && errorText(t, state.error), t.t('connections.sign-in'), (username, password) => c.signIn(username, password), t);
      case 'list':
        return html`${notice(c, t)}${blocked(c, t)}
          <ul part="provider-list">
            ${bootstrap!.providers.map((provider) => providerRow(c, t, provider, bootstrap!.connections.filter((entry) => entry.provider === provider.id)))}
          </ul>`;
    }
  }
}

function notice(c: ConnectionsController, t: Translator) {
  const notice = c.notice;
  if (!notice) return html`<p part="notice" role="status"></p>`;
  const text = 'error' in notice ? errorText(t, notice.error) : t.t(notice.key, { provider: notice.provider });
  return notice.kind === 'alert'
    ? html`<div part="error" role="alert">${text}</div>`
    : html`<p part="notice" role="status">${text}</p>`;
}

function blocked(c: ConnectionsController, t: Translator) {
  const popup = c.blocked;
  if (!popup) return nothing;
  const provider = popup.providerName;
  return html`<div part="error" role="alert">
      ${t.t('connections.blocked', { provider })}
      <div part="actions">
        <button part="provider-button" class="primary" type="button" @click=${() => c.connect(popup.providerId, popup.connectionId)}>${t.t('connections.open', { provider })}</button>
        <button part="provider-button" type="button" @click=${() => c.continueInThisWindow(popup)}>${t.t('connections.here')}</button>
      </div>
    </div>`;
}

function providerRow(c: ConnectionsController, t: Translator, provider: ProviderView, connections: ConnectionView[]) {
  const name = { provider: provider.displayName };
  const live = connections.filter((entry) => entry.status !== 'disconnected');
  // Connecting again after a disconnect keeps the connection's id, so the partner's references hold.
  const previous = connections.filter((entry) => entry.status === 'disconnected').at(-1);
  const busy = c.pending.has(provider.id);
  return html`<li>
    <strong>${provider.displayName}</strong>
    ${live.length === 0
      ? html`<span> · ${t.t('connections.disconnected')}</span>
          <div part="actions">
            <button part="provider-button" class="primary" type="button" ?disabled=${busy} @click=${() => c.connect(provider.id, previous?.id)}>${t.t('connections.connect', name)}</button>
          </div>`
      : live.map(
          (connection) => html`<span> · ${t.t(`connections.${connection.status}`)}</span>
            <div part="actions">
              ${connection.status === 'needs_reconnect'
                ? html`<button part="provider-button" class="primary" type="button" ?disabled=${busy} @click=${() => c.connect(provider.id, connection.id)}>${t.t('connections.reconnect', name)}</button>`
                : nothing}
              <button part="provider-button" type="button" @click=${() => c.disconnect(connection)}>${t.t('connections.disconnect', name)}</button>
            </div>`,
        )}
  </li>`;
}
