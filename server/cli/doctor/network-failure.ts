/**
 * Why a request got no HTTP answer, in words an operator can act on. `fetch` rejects with a bare
 * "fetch failed" TypeError; the reason (a system error code, a TLS verdict) sits in its causes, and
 * for a host with several addresses in an AggregateError's `errors`.
 */

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing listens there',
  ENOTFOUND: 'host name not found (DNS)',
  EAI_AGAIN: 'host name could not be resolved right now (DNS)',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  ECONNRESET: 'the connection was reset',
  UND_ERR_SOCKET: 'the connection was closed before an answer',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate chain is incomplete',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its TLS certificate is not signed by a known authority',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host name',
};

/** The reason, or undefined when the error carries no network or TLS code this table knows. */
export function knownNetworkReason(error: unknown): string | undefined {
  const code = errorCode(error);
  return code && REASONS[code] ? `${REASONS[code]} (${code})` : undefined;
}

export function networkFailureReason(error: unknown): string {
  if (isTimeout(error)) return 'no answer in time';
  return knownNetworkReason(error) ?? `network error (${errorCode(error) ?? innermostMessage(error)})`;
}

function isTimeout(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 6; current = (current as { cause?: unknown }).cause, depth++) {
    const { name } = current as { name?: string };
    if (name === 'TimeoutError' || name === 'AbortError') return true;
  }
  return false;
}

/** The first system or TLS error code in the cause chain. */
function errorCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== 'object' || depth > 5) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const found = errorCode(inner, depth + 1);
      if (found) return found;
    }
  }
  return errorCode(cause, depth + 1);
}

function innermostMessage(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  for (let current = (error as { cause?: unknown } | undefined)?.cause, depth = 0; current instanceof Error && depth < 6; current = current.cause, depth++) {
    message = current.message || message;
  }
  return message;
}
