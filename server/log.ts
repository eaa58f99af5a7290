/**
 * The kit's logger: pino, with every field that could hold a secret redacted (ASVS 16.2.5,
 * reference/security.md T6). Log lines carry method, path, status and timing; never query strings,
 * bodies, cookies or authorization headers.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export const REDACTED_PATHS = [
  'password',
  'clientSecret',
  'client_secret',
  'access_token',
  'refresh_token',
  'session',
  'seal',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.clientSecret',
  '*.client_secret',
  '*.access_token',
  '*.refresh_token',
  '*.session',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { name: 'ats-consent' } }, destination);
}

export type { Logger };
