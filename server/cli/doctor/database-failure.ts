import { knownNetworkReason } from './network-failure.js';

/** A network reason when there is one, else the driver's message (pg's and SQLite's name no password). */
export function databaseFailureReason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return knownNetworkReason(error) ?? `${(error as Error).message ?? String(error)}${typeof code === 'string' ? ` (${code})` : ''}`;
}
