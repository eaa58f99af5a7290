/** The provider-connections API: bootstrap, start, flow status, disconnect. */
import type { ConnectBootstrap, ConnectionView, ConnectStartRequest, ConnectStartResponse, FlowStatus } from '../protocol/http.js';
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

  /** Creates the flow (same-origin POST with the CSRF token); answers where the popup or the page goes next. */
  start(providerId: string, request: ConnectStartRequest): Promise<ConnectStartResponse> {
    return this.send<ConnectStartResponse>('POST', `/${encodeURIComponent(providerId)}/start`, request);
  }
}
