/**
 * The widget's DOM events. Each bubbles and is composed, so a partner page can listen on any
 * ancestor of `<ats-consent>` (or on `document`).
 */
import type { ErrorCode } from './protocol/error-codes.js';
import type { ConsentMode } from './protocol/http.js';

export interface ConsentGrantedDetail {
  companyId: string;
  mode: ConsentMode;
}

export interface ConsentDeniedDetail {
  companyId: string;
  mode: ConsentMode;
}

export interface AtsErrorDetail {
  code: ErrorCode;
  message: string;
  retryable: boolean;
}

const init = { bubbles: true, composed: true } as const;

/** The admin approved and the credential exchange completed. */
export class AtsConsentGrantedEvent extends CustomEvent<ConsentGrantedDetail> {
  constructor(detail: ConsentGrantedDetail) {
    super('ats-consent-granted', { ...init, detail });
  }
}

/** The admin denied the connection. */
export class AtsConsentDeniedEvent extends CustomEvent<ConsentDeniedDetail> {
  constructor(detail: ConsentDeniedDetail) {
    super('ats-consent-denied', { ...init, detail });
  }
}

/** Something failed; `detail.retryable` says whether the Retry button is offered. */
export class AtsErrorEvent extends CustomEvent<AtsErrorDetail> {
  constructor(detail: AtsErrorDetail) {
    super('ats-error', { ...init, detail });
  }
}

export interface ConnectionDetail {
  provider: string;
  status: 'connected' | 'denied' | 'failed' | 'disconnected';
  connectionId: string | null;
}

/** Connections view: a provider connection was made, refused, failed, or removed. */
export class AtsConnectionEvent extends CustomEvent<ConnectionDetail> {
  constructor(detail: ConnectionDetail) {
    super('ats-connection', { ...init, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'ats-connection': AtsConnectionEvent;
    'ats-consent-granted': AtsConsentGrantedEvent;
    'ats-consent-denied': AtsConsentDeniedEvent;
    'ats-error': AtsErrorEvent;
  }
}
