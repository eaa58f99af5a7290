/** The consent page's API: bootstrap, approve, deny (sign-in and sign-out come from KitClient). */
import type { ConsentBootstrap, ConsentDecisionResponse } from '../protocol/http.js';
import { KitClient } from './kit-client.js';

export class ConsentClient extends KitClient {
  async bootstrap(companyId: string, redirect: string | null): Promise<ConsentBootstrap> {
    const query = new URLSearchParams({ companyId });
    if (redirect !== null) query.set('redirect', redirect);
    const result = await this.send<ConsentBootstrap>('GET', `/bootstrap?${query}`);
    this.remember(result.session, result.csrfToken);
    return result;
  }

  approve(): Promise<ConsentDecisionResponse> {
    return this.send<ConsentDecisionResponse>('POST', '/approve', {});
  }

  deny(): Promise<ConsentDecisionResponse> {
    return this.send<ConsentDecisionResponse>('POST', '/deny', {});
  }
}
