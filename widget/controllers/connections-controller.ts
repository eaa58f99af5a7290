/**
 * The provider-connections view's behaviour: sign-in, the list of connections, and connecting
 * through a popup that is opened (blank) synchronously in the click handler (anything async first
 * and browsers block it); only then is the flow started, by a same-origin CSRF-checked POST, and
 * the popup sent to the authorization URL it answers. A blocked popup starts nothing and shows a
 * visible fallback: try again, or continue in this window. The outcome arrives by a message from
 * the popup (exact origin, expected window, typed guard) or, when COOP severed `window.opener`, by
 * polling the server; a window closed early is reported only after a grace period, because
 * `popup.closed` can lie under COOP (T15).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { AtsErrorCode } from '../protocol/error-codes.js';
import { parseAtsMessage } from '../protocol/guards.js';
import type { ConnectBootstrap, ConnectionView } from '../protocol/http.js';
import { AtsWidgetError, shownError, type ShownError } from '../errors.js';
import { ConnectClient } from './connect-client.js';
import type { UiKey } from '../i18n/catalogue.js';
import type { Translator } from '../i18n/translator.js';

export type ConnectionsState =
  | { name: 'loading' }
  | { name: 'sign-in'; error?: ShownError }
  | { name: 'list' }
  | { name: 'error'; error: ShownError };

/** A status line, kept as a message key (or an error) so it shows in the widget's locale. */
export type ConnectionsNotice =
  | { kind: 'status' | 'alert'; key: UiKey; provider?: string }
  | { kind: 'alert'; error: ShownError };

export interface BlockedPopup {
  providerId: string;
  providerName: string;
  connectionId?: string;
}

export interface ConnectionsEvents {
  changed(detail: { provider: string; status: 'connected' | 'denied' | 'failed' | 'disconnected'; connectionId: string | null }): void;
  error(error: AtsWidgetError): void;
}

const POLL_MS = 1_000;
const CLOSED_GRACE_MS = 4_000;
const GIVE_UP_MS = 10 * 60_000;

export class ConnectionsController implements ReactiveController {
  state: ConnectionsState = { name: 'loading' };
  bootstrap: ConnectBootstrap | undefined;
  notice: ConnectionsNotice | undefined;
  blocked: BlockedPopup | undefined;
  /** Provider ids with a flow in progress. */
  readonly pending = new Set<string>();
  #client: ConnectClient | undefined;
  readonly #listeners = new Set<(event: MessageEvent) => void>();

  constructor(
    private readonly host: ReactiveControllerHost & { endpoint: string; connectMode: 'popup' | 'page' },
    private readonly events: ConnectionsEvents,
    private readonly translator: () => Translator,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#client = new ConnectClient(this.host.endpoint);
    this.#noticeFromReturn();
    void this.#run(async () => {
      this.bootstrap = await this.#client!.bootstrap();
      this.state = this.bootstrap.user ? { name: 'list' } : { name: 'sign-in' };
    });
  }

  hostDisconnected(): void {
    for (const listener of this.#listeners) window.removeEventListener('message', listener);
    this.#listeners.clear();
  }

  signIn(username: string, password: string): void {
    void this.#run(async () => {
      try {
        const result = await this.#client!.signIn(username, password);
        this.bootstrap = await this.#client!.bootstrap();
        this.bootstrap.user ??= result.user;
        this.state = { name: 'list' };
      } catch (error) {
        if (error instanceof AtsWidgetError && error.code !== AtsErrorCode.Network) {
          this.state = { name: 'sign-in', error: shownError(error) };
          return;
        }
        throw error;
      }
    });
  }

  /** Must run inside the click handler: window.open is the first thing it does. */
  connect(providerId: string, connectionId?: string): void {
    const provider = this.bootstrap?.providers.find((entry) => entry.id === providerId);
    if (!provider || this.pending.has(providerId)) return;
    const flowId = randomFlowId();
    if (this.host.connectMode === 'page') return this.continueInThisWindow({ providerId, providerName: provider.displayName, connectionId }, flowId);
    // Blank (same origin as this page) until the server has created the flow and answered its URL.
    const popup = window.open('about:blank', `ats-connect-${flowId}`, 'popup,width=520,height=720');
    if (!popup) {
      this.blocked = { providerId, providerName: provider.displayName, ...(connectionId ? { connectionId } : {}) };
      this.events.error(new AtsWidgetError(AtsErrorCode.PopupBlocked, 'The browser blocked the sign-in window.'));
      this.host.requestUpdate();
      return;
    }
    try {
      popup.document.title = popup.document.body.textContent = this.translator().t('connections.opening', { provider: provider.displayName });
    } catch {
      // Only a courtesy while the start request runs.
    }
    this.blocked = undefined;
    this.notice = { kind: 'status', key: 'connections.finish', provider: provider.displayName };
    this.pending.add(providerId);
    this.host.requestUpdate();
    void this.#startInPopup(providerId, provider.displayName, flowId, popup, connectionId);
  }

  continueInThisWindow(blocked: BlockedPopup, flowId = randomFlowId()): void {
    if (this.pending.has(blocked.providerId)) return;
    const returnTo = location.href.split('#')[0]!.replace(/([?&])ats_(connect|provider)=[^&]*/g, '$1');
    this.pending.add(blocked.providerId);
    this.host.requestUpdate();
    void (async () => {
      try {
        const { authorizationUrl } = await this.#client!.start(blocked.providerId, {
          flowId,
          mode: 'page',
          returnTo,
          ...(blocked.connectionId ? { connectionId: blocked.connectionId } : {}),
        });
        location.assign(navigable(authorizationUrl));
      } catch (error) {
        this.#startFailed(blocked.providerId, error);
      }
    })();
  }

  async #startInPopup(providerId: string, providerName: string, flowId: string, popup: Window, connectionId?: string): Promise<void> {
    let authorizationUrl: string;
    try {
      ({ authorizationUrl } = await this.#client!.start(providerId, { flowId, mode: 'popup', ...(connectionId ? { connectionId } : {}) }));
      if (popup.closed) {
        // Still blank, so `closed` tells the truth: the user closed it before it went anywhere.
        this.pending.delete(providerId);
        this.notice = { kind: 'alert', key: 'connections.closed', provider: providerName };
        this.host.requestUpdate();
        return;
      }
      popup.location.replace(navigable(authorizationUrl));
    } catch (error) {
      popup.close();
      this.#startFailed(providerId, error);
      return;
    }
    await this.#watch(providerId, providerName, flowId, popup);
  }

  #startFailed(providerId: string, caught: unknown): void {
    const error = caught instanceof AtsWidgetError ? caught : new AtsWidgetError(AtsErrorCode.Network, 'Something went wrong. Try again.', true);
    this.pending.delete(providerId);
    this.notice = { kind: 'alert', error: shownError(error) };
    this.events.error(error);
    this.host.requestUpdate();
  }

  disconnect(connection: ConnectionView): void {
    void this.#run(async () => {
      await this.#client!.disconnect(connection.id);
      this.bootstrap = await this.#client!.bootstrap();
      this.notice = { kind: 'status', key: 'connections.is-disconnected', provider: connection.providerName };
      this.events.changed({ provider: connection.provider, status: 'disconnected', connectionId: connection.id });
    });
  }

  async #watch(providerId: string, providerName: string, flowId: string, popup: Window): Promise<void> {
    const origin = new URL(this.host.endpoint, location.href).origin;
    let messaged = false;
    const onMessage = (event: MessageEvent) => {
      const message = parseAtsMessage(event, [origin], popup);
      if (message?.type === 'ats:connect-result' && message.id === flowId) messaged = true;
    };
    this.#listeners.add(onMessage);
    window.addEventListener('message', onMessage);
    const started = Date.now();
    let closedSince: number | undefined;
    try {
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, messaged ? 0 : POLL_MS));
        // The message only says "look now": the outcome always comes from the server.
        const status = await this.#client!.flowStatus(flowId).catch(() => undefined);
        if (status && status.status !== 'pending') {
          this.bootstrap = await this.#client!.bootstrap();
          // The server's detail of a failure is English; other locales say it by outcome.
          this.notice =
            status.status === 'connected'
              ? { kind: 'status', key: 'connections.is-connected', provider: providerName }
              : status.message && this.translator().locale.startsWith('en')
                ? { kind: 'alert', error: { code: '', message: status.message } }
                : { kind: 'alert', key: 'connections.not-connected', provider: providerName };
          this.events.changed({ provider: providerId, status: status.status, connectionId: status.connectionId });
          return;
        }
        messaged = false;
        closedSince = popup.closed ? (closedSince ?? Date.now()) : undefined;
        if ((closedSince !== undefined && Date.now() - closedSince > CLOSED_GRACE_MS) || Date.now() - started > GIVE_UP_MS) {
          this.notice = { kind: 'alert', key: 'connections.closed', provider: providerName };
          return;
        }
      }
    } finally {
      this.pending.delete(providerId);
      this.#listeners.delete(onMessage);
      window.removeEventListener('message', onMessage);
      this.host.requestUpdate();
    }
  }

  /** After the full-page mode the kit sends the browser back with `ats_connect` and `ats_provider`. */
  #noticeFromReturn(): void {
    const params = new URLSearchParams(location.search);
    const outcome = params.get('ats_connect');
    const provider = params.get('ats_provider');
    if (!outcome || !provider || !/^[a-z0-9-]{1,40}$/.test(provider)) return;
    if (outcome === 'connected' || outcome === 'denied' || outcome === 'failed') {
      this.notice = { kind: outcome === 'connected' ? 'status' : 'alert', key: `connections.return.${outcome}` };
    }
  }

  async #run(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (caught) {
      const error = caught instanceof AtsWidgetError ? caught : new AtsWidgetError(AtsErrorCode.Network, 'Something went wrong. Reload the page.', true);
      this.state = { name: 'error', error: shownError(error) };
      this.events.error(error);
    }
    this.host.requestUpdate();
  }
}

/** The kit answers an http(s) URL of a configured provider; anything else is refused, never navigated to. */
function navigable(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new AtsWidgetError(AtsErrorCode.InvalidMessage, 'The server answered an unusable address.');
  return parsed.href;
}

function randomFlowId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}
