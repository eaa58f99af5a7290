/** The provider-connections API: bootstrap, flow status, disconnect. */
import type { ConnectBootstrap, ConnectionView, FlowStatus } from '../protocol/http.js';
import { KitClient } from './kit-client.js';

export class ConnectClient extends KitClient {
  async bootstrap(): Promise<ConnectBootstrap> {
    const result = await this.send<ConnectBootstrap>('GET', '/bootstrap');
    this.remember(result.session, result.csrfToken);
    return result;
  }

  flowStatus(flowId: string): Promise<FlowStatus> {
    return this.send<FlowStatus>('GET', `/flows/${encodeURIComponent(flowId)}`);
  }

  disconnect(connectionId: string): Promise<ConnectionView> {
    return this.send<ConnectionView>('POST', `/connections/${encodeURIComponent(connectionId)}/disconnect`, {});
  }

  /** The URL the popup (or the page) opens: a plain navigation, so it is built synchronously. */
  startUrl(providerId: string, flowId: string, options: { mode: 'popup' | 'page'; connectionId?: string; returnTo?: string }): string {
    const query = new URLSearchParams({ flow: flowId, mode: options.mode });
    if (options.connectionId) query.set('connection', options.connectionId);
    if (options.returnTo) query.set('returnTo', options.returnTo);
    return `${this.endpoint}/${encodeURIComponent(providerId)}/start?${query}`;
  }
}
