/**
 * Markup of the provider-connections view: the same parts and custom properties as the consent
 * view, real buttons with the provider named in each label, notices in status/alert regions.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ConnectionsController } from './controllers/connections-controller.js';
import type { ConnectionView, ProviderView } from './protocol/http.js';
import { signInForm } from './ats-consent.templates.js';

const STATUS_TEXT: Record<ConnectionView['status'], string> = {
  connected: 'Connected',
  needs_reconnect: 'Needs to be connected again',
  disconnected: 'Not connected',
};

export function renderConnections(controller: ConnectionsController): TemplateResult {
  const { state, bootstrap } = controller;
  const title = state.name === 'sign-in' ? 'Sign in to continue' : state.name === 'error' ? 'Something went wrong' : 'Connected systems';
  return html`<section part="base" aria-labelledby="title" aria-busy=${state.name === 'loading' ? 'true' : 'false'}>
    <header part="header"><h1 part="title" id="title" tabindex="-1">${state.name === 'loading' ? 'Loading…' : title}</h1></header>
    <div part="body">${body(controller)}</div>
  </section>`;

  function body(c: ConnectionsController) {
    switch (state.name) {
      case 'loading':
        return html`<p role="status">Loading your connections…</p>`;
      case 'error':
        return html`<div part="error" role="alert">${state.message}</div>`;
      case 'sign-in':
        return signInForm(state.error, 'Sign in to manage the systems connected to your account.', (username, password) => c.signIn(username, password));
      case 'list':
        return html`${notice(c)}${blocked(c)}
          <ul part="provider-list">
            ${bootstrap!.providers.map((provider) => providerRow(c, provider, bootstrap!.connections.filter((entry) => entry.provider === provider.id)))}
          </ul>`;
    }
  }
}

function notice(c: ConnectionsController) {
  if (!c.notice) return html`<p part="notice" role="status"></p>`;
  return c.notice.kind === 'alert'
    ? html`<div part="error" role="alert">${c.notice.text}</div>`
    : html`<p part="notice" role="status">${c.notice.text}</p>`;
}

function blocked(c: ConnectionsController) {
  const popup = c.blocked;
  if (!popup) return nothing;
  return html`<div part="error" role="alert">
      Your browser blocked the ${popup.providerName} sign-in window.
      <div part="actions">
        <button part="provider-button" class="primary" type="button" @click=${() => c.connect(popup.providerId, popup.connectionId)}>Open the ${popup.providerName} sign-in window</button>
        <button part="provider-button" type="button" @click=${() => c.continueInThisWindow(popup)}>Continue in this window</button>
      </div>
    </div>`;
}

function providerRow(c: ConnectionsController, provider: ProviderView, connections: ConnectionView[]) {
  const live = connections.filter((entry) => entry.status !== 'disconnected');
  // Connecting again after a disconnect keeps the connection's id, so the partner's references hold.
  const previous = connections.filter((entry) => entry.status === 'disconnected').at(-1);
  const busy = c.pending.has(provider.id);
  return html`<li>
    <strong>${provider.displayName}</strong>
    ${live.length === 0
      ? html`<span> · Not connected</span>
          <div part="actions">
            <button part="provider-button" class="primary" type="button" ?disabled=${busy} @click=${() => c.connect(provider.id, previous?.id)}>Connect ${provider.displayName}</button>
          </div>`
      : live.map(
          (connection) => html`<span> · ${STATUS_TEXT[connection.status]}</span>
            <div part="actions">
              ${connection.status === 'needs_reconnect'
                ? html`<button part="provider-button" class="primary" type="button" ?disabled=${busy} @click=${() => c.connect(provider.id, connection.id)}>Reconnect ${provider.displayName}</button>`
                : nothing}
              <button part="provider-button" type="button" @click=${() => c.disconnect(connection)}>Disconnect ${provider.displayName}</button>
            </div>`,
        )}
  </li>`;
}
