/**
 * The partner's assessment packages, as SmartRecruiters asks for them (seed 003 §2: the package list
 * with the requester and the job's location; "/packages/{id}" for one).
 *
 * Without a `packages` hook, the catalogue stored through the partner API answers (issue 14 item 2:
 * `PUT /partner/v1/assessment/packages`): the company's own, else the default one, else none (SR
 * gets 204). It was checked against SR's schema when it was stored.
 *
 * The partner's `packages` hook answers; what it returns is checked against SR's `AssessmentPackage`
 * schema before SR sees it (a bad catalogue is the partner's bug, not SR's problem). A hook that
 * hangs past `hookTimeoutMs`, throws or returns something invalid does not make SR wait: the last
 * good answer for the same company and query is used when it is at most `catalogueFallbackSeconds`
 * old, else SR gets a clear 503. The cache key is a hash, so no requester address stays in memory.
 */
import { hash } from 'node:crypto';
import * as v from 'valibot';
import { AtsErrorCode } from '../../widget/protocol/error-codes.js';
import { AtsServerError } from '../errors.js';
import type { Logger } from '../log.js';
import type { PartnerPackageStore } from '../store/store.js';
import type { PackageQuery, ResolvedAssessment } from './assessment-options.js';
import { deepFreeze, isDeeplyFrozen } from './deep-freeze.js';
import { callHook } from './hook-call.js';
import { AssessmentPackage, AssessmentPackageList, firstIssue } from './sr-assessment-types.js';

/** Company+query combinations remembered, and their total size; the oldest is dropped past either. */
const MAX_REMEMBERED = 5_000;
const MAX_REMEMBERED_BYTES = 32 * 1024 * 1024;

export class PackageCatalogue {
  /**
   * Hook answers already checked, by identity, for answers that cannot change: deeply frozen ones
   * (the standalone server's catalogue file, standalone-hooks.ts). Anything else is checked on every
   * call, since a partner's hook may return the same array with other contents.
   */
  readonly #checked = new WeakMap<object, unknown>();
  readonly #lastGood = new Map<string, { packages: AssessmentPackage[]; at: number; companyId: string; tenantId: string; bytes: number }>();
  #bytes = 0;

  constructor(
    private readonly assessment: ResolvedAssessment,
    private readonly logger: Logger,
    private readonly now: () => number,
    private readonly stored: PartnerPackageStore,
  ) {}

  /** The company's packages for this query: the hook's answer, or the last good one; without a hook, the stored catalogue. */
  async list(query: PackageQuery): Promise<AssessmentPackage[]> {
    const hook = this.assessment.packages;
    if (!hook) return this.#fromStore(query.companyId);
    const key = cacheKey(query);
    const answer = await this.#fromHook(query.companyId, () => hook(query), AssessmentPackageList);
    if (answer.ok) {
      this.#remember(key, query, answer.value);
      return answer.value;
    }
    const cached = this.#lastGood.get(key);
    if (cached && this.now() - cached.at <= this.assessment.catalogueFallbackSeconds * 1000) return cached.packages;
    throw unavailable();
  }

  /** One package, or undefined when the partner has no such package for the company. */
  async get(query: { companyId: string; tenantId: string; packageId: string }): Promise<AssessmentPackage | undefined> {
    const single = this.assessment.package;
    if (single) {
      const answer = await this.#fromHook(query.companyId, () => single(query), v.optional(AssessmentPackage));
      if (answer.ok) return answer.value;
      const remembered = this.#remembered(query, query.packageId);
      if (remembered) return remembered;
      throw unavailable();
    }
    const all = await this.list({ companyId: query.companyId, tenantId: query.tenantId, requester: null, location: {}, fields: {} }).catch((error: unknown) => {
      const remembered = this.#remembered(query, query.packageId);
      if (remembered) return [remembered];
      throw error;
    });
    return all.find((item) => item.id === query.packageId);
  }

  /** The catalogue stored through the partner API (validated when it was stored). */
  async #fromStore(companyId: string): Promise<AssessmentPackage[]> {
    try {
      const row = await this.stored.effective(companyId);
      return row ? (JSON.parse(row.packages) as AssessmentPackage[]) : [];
    } catch (error) {
      this.logger.error({ err: error, companyId }, 'the stored assessment catalogue could not be read');
      throw unavailable();
    }
  }

  async #fromHook<T>(companyId: string, hook: () => unknown, schema: v.GenericSchema<unknown, T>): Promise<{ ok: true; value: T } | { ok: false }> {
    const outcome = await callHook(hook, this.assessment.hookTimeoutMs);
    if (!outcome.ok) {
      this.logger.error({ companyId, reason: outcome.reason }, 'the assessment packages hook failed');
      return { ok: false };
    }
    const answer = outcome.value;
    if (typeof answer === 'object' && answer !== null && this.#checked.has(answer)) return { ok: true, value: this.#checked.get(answer) as T };
    const parsed = v.safeParse(schema, answer);
    if (!parsed.success) {
      this.logger.error({ companyId, problem: firstIssue(parsed.issues) }, 'the assessment packages hook returned packages SmartRecruiters would refuse');
      return { ok: false };
    }
    if (typeof answer === 'object' && answer !== null && isDeeplyFrozen(answer)) this.#checked.set(answer, deepFreeze(parsed.output));
    return { ok: true, value: parsed.output };
  }

  #remember(key: string, owner: { companyId: string; tenantId: string }, packages: AssessmentPackage[]): void {
    const current = this.#lastGood.get(key);
    // The same answer as last time (a checked, frozen one): only its age changes, not its size.
    if (current?.packages === packages && current.tenantId === owner.tenantId) {
      this.#lastGood.delete(key);
      this.#lastGood.set(key, { ...current, at: this.now() });
      return;
    }
    this.#forget(key);
    const bytes = JSON.stringify(packages).length;
    this.#lastGood.set(key, { packages, at: this.now(), companyId: owner.companyId, tenantId: owner.tenantId, bytes });
    this.#bytes += bytes;
    while (this.#lastGood.size > MAX_REMEMBERED || this.#bytes > MAX_REMEMBERED_BYTES) this.#forget(this.#lastGood.keys().next().value as string);
  }

  #forget(key: string): void {
    const entry = this.#lastGood.get(key);
    if (!entry) return;
    this.#bytes -= entry.bytes;
    this.#lastGood.delete(key);
  }

  /** A package seen in a recent good answer for the company and its current tenant, for when the hook is down. */
  #remembered(owner: { companyId: string; tenantId: string }, packageId: string): AssessmentPackage | undefined {
    const horizon = this.now() - this.assessment.catalogueFallbackSeconds * 1000;
    for (const entry of this.#lastGood.values()) {
      if (entry.companyId !== owner.companyId || entry.tenantId !== owner.tenantId || entry.at < horizon) continue;
      const found = entry.packages.find((item) => item.id === packageId);
      if (found) return found;
    }
    return undefined;
  }
}

function cacheKey(query: PackageQuery): string {
  const fields = Object.entries(query.fields).sort(([a], [b]) => a.localeCompare(b));
  const location = Object.entries(query.location).sort(([a], [b]) => a.localeCompare(b));
  return hash('sha256', JSON.stringify([query.companyId, query.tenantId, query.requester?.email ?? null, location, fields]), 'base64url');
}

function unavailable(): AtsServerError {
  return new AtsServerError(503, AtsErrorCode.CatalogueUnavailable, 'The assessment catalogue is unavailable right now. Try again shortly.', {
    headers: { 'retry-after': '30' },
    retryable: true,
  });
}
