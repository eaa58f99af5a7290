/**
 * Doctor's report: one line per check (`ok`, `warn`, `FAIL`, `skip`, then what to fix), details
 * indented under it, and a closing summary; or with `--json` one JSON document for scripts.
 */
import type { CheckResult, CheckStatus } from './check-result.js';

const LABEL: Record<CheckStatus, string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', skip: 'skip' };

export function textReport(results: readonly CheckResult[], exitCode: number): string[] {
  const lines: string[] = [];
  for (const result of results) {
    lines.push(`${LABEL[result.status]}  ${result.check}: ${result.message}${result.fix ? `. Fix: ${result.fix}` : ''}`);
    for (const detail of result.details ?? []) lines.push(`        ${detail}`);
  }
  lines.push('', summary(results, exitCode));
  return lines;
}

export function jsonReport(results: readonly CheckResult[], exitCode: number): string {
  return JSON.stringify({ exitCode, counts: counts(results), checks: results }, null, 2);
}

function summary(results: readonly CheckResult[], exitCode: number): string {
  const { ok, warn, fail, skip } = counts(results);
  const tally = `${ok} ok, ${warn} warning${warn === 1 ? '' : 's'}, ${fail} failed, ${skip} skipped`;
  if (exitCode === 1) return `Configuration invalid (${tally}): the kit would refuse to start. Fix it, then run doctor again.`;
  if (fail > 0) return `${tally}: SmartRecruiters or a customer would run into each FAIL above.`;
  return warn > 0 ? `${tally}: nothing will fail; read the warnings.` : `${tally}: all good.`;
}

function counts(results: readonly CheckResult[]): Record<CheckStatus, number> {
  const tally: Record<CheckStatus, number> = { ok: 0, warn: 0, fail: 0, skip: 0 };
  for (const result of results) tally[result.status] += 1;
  return tally;
}
