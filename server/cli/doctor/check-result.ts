/**
 * One line of `ats-consent doctor`'s report. `fail` is something SmartRecruiters (or a customer)
 * will run into; `warn` works but deserves a look; `skip` could not be checked and says why.
 * `fix` names the option or variable to change, or the command to run.
 */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  /** Stable id, e.g. `sr-master-token`, `url oauthTokenUrl`. */
  check: string;
  status: CheckStatus;
  message: string;
  fix?: string;
  /** Further lines, printed indented under the check (e.g. each differing field). */
  details?: string[];
}

export const ok = (check: string, message: string, details?: string[]): CheckResult => ({ check, status: 'ok', message, ...(details ? { details } : {}) });
export const warn = (check: string, message: string, fix?: string): CheckResult => ({ check, status: 'warn', message, ...(fix ? { fix } : {}) });
export const fail = (check: string, message: string, fix: string, details?: string[]): CheckResult => ({ check, status: 'fail', message, fix, ...(details ? { details } : {}) });
export const skip = (check: string, message: string): CheckResult => ({ check, status: 'skip', message });
