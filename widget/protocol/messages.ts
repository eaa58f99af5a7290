/**
 * The postMessage protocol between `<ats-consent>` and the page that frames it.
 *
 * Every message is a typed, versioned envelope. SmartRecruiters documents no postMessage contract
 * (seed 001 §4: "SmartRecruiters will handle the frontend user transition"), so this envelope is
 * ours; a parent that ignores it loses nothing. It never carries a secret: only the outcome and the
 * company it concerns (reference/security.md T13).
 */
export const ATS_NAMESPACE = 'ats';
export const ATS_PROTOCOL_VERSION = 1;

/** Largest serialized message either side accepts; anything bigger is ignored unread. */
export const MAX_MESSAGE_BYTES = 4096;

export interface AtsEnvelope<TType extends `ats:${string}`, TPayload> {
  ns: typeof ATS_NAMESPACE;
  v: typeof ATS_PROTOCOL_VERSION;
  type: TType;
  /** Correlation id: the consent transaction this message belongs to. */
  id: string;
  payload: TPayload;
}

export type ConsentOutcome = 'approved' | 'denied';

export interface ConsentResultPayload {
  status: ConsentOutcome;
  companyId: string;
  /** Present when the admin denied: the RFC 6749 §4.1.2.1 code. */
  error?: 'access_denied';
}

export type AtsConsentResultMessage = AtsEnvelope<'ats:consent-result', ConsentResultPayload>;

export interface ConnectResultPayload {
  status: 'connected' | 'denied' | 'failed';
  provider: string;
}

/** From the provider-connection popup to the page that opened it; `id` is the widget's flow id. */
export type AtsConnectResultMessage = AtsEnvelope<'ats:connect-result', ConnectResultPayload>;

export type AtsMessage = AtsConsentResultMessage | AtsConnectResultMessage;
export type AtsMessageType = AtsMessage['type'];

export function connectResultMessage(id: string, payload: ConnectResultPayload): AtsConnectResultMessage {
  return { ns: ATS_NAMESPACE, v: ATS_PROTOCOL_VERSION, type: 'ats:connect-result', id, payload };
}

export function consentResultMessage(id: string, payload: ConsentResultPayload): AtsConsentResultMessage {
  return { ns: ATS_NAMESPACE, v: ATS_PROTOCOL_VERSION, type: 'ats:consent-result', id, payload };
}
