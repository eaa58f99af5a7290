/**
 * The last guard on doctor's output: no check prints a secret, and should a message ever quote
 * one (an error text echoing a value), it is replaced before it reaches a terminal or a CI log.
 * Secrets are the values of the variables that hold them, and the database URL's password.
 */
import type { Env } from '../command.js';

/**
 * Variables whose values are secrets: every `…_SECRET` (SR's and providers' client secrets, the
 * session and webhook secrets), `…_PASSWORD`, and the encryption key. Not by a looser pattern:
 * `ATS_TOKEN_PATH`'s "/oauth/token" would vanish from every URL.
 */
const SECRET_NAME = /(SECRET|PASSWORD)$|^ATS_ENCRYPTION_KEY$/;
/** Shorter values (a key version "1") would redact ordinary words; real secrets are far longer. */
const MIN_LENGTH = 8;

export function secretValues(env: Env): string[] {
  const values = Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && value !== undefined && value.length >= MIN_LENGTH)
    .map(([, value]) => value!);
  const databaseUrl = env.ATS_DATABASE_URL;
  if (databaseUrl && URL.canParse(databaseUrl)) {
    const { password } = new URL(databaseUrl);
    if (password.length >= MIN_LENGTH) values.push(password, decodeURIComponent(password));
  }
  // Longest first, so a secret containing another is replaced whole.
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

/**
 * Replaces each secret as written and as JSON escapes it (`--json` output: a secret with `"`, `\`
 * or a control character reads differently there).
 */
export function redact(text: string, secrets: readonly string[]): string {
  const forms = secrets.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]);
  return [...new Set(forms)].reduce((out, form) => out.split(form).join('[redacted]'), text);
}
