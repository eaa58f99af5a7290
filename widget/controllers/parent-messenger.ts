/**
 * Posts the consent result to the page that frames the widget (POPUP mode), at an exact
 * allow-listed origin, never `'*'` (reference/security.md T13; RFC 9700 §4.17).
 *
 * Which allowed origin frames us: `location.ancestorOrigins` (Chromium, WebKit) or the referrer
 * when it is allowed; with a single allowed origin, that one. If none of these tells, the message
 * goes to each allowed origin in turn: the browser delivers it only where the parent's real origin
 * matches, so a non-SmartRecruiters parent receives nothing.
 */
import type { AtsMessage } from '../protocol/messages.js';

export function targetOrigins(allowed: readonly string[], hints: readonly (string | undefined)[]): string[] {
  for (const hint of hints) {
    if (hint !== undefined && allowed.includes(hint)) return [hint];
  }
  return [...allowed];
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export function postToParent(message: AtsMessage, allowed: readonly string[]): void {
  if (window.parent === window) return; // not framed: nobody to tell
  const hints = [window.location.ancestorOrigins?.[0], originOf(document.referrer)];
  for (const origin of targetOrigins(allowed, hints)) {
    window.parent.postMessage(message, origin);
  }
}
