/**
 * `GET <prefix>/healthz` and `GET <prefix>/readyz` (issue 14 item 6), for a load balancer or an
 * orchestrator. No key needed, so neither says anything secret: no URL with credentials, no token,
 * no client id.
 *
 * - healthz: the process answers (200 `{status:"ok"}`); it touches nothing else.
 * - readyz: the database answers and has every migration of this version (else 503: this instance
 *   cannot serve anything), and whether SmartRecruiters issues the kit's master token, or why not.
 *   SmartRecruiters failing alone answers 200 `status: "degraded"`: the instance still serves the
 *   token endpoint, the partner API's reads and the event feed, and pulling every instance out of
 *   the load balancer because SR is down would make things worse.
 */
import type { Context } from 'koa';
import { OutboundError } from '../oauth/outbound.js';
import type { TokenCache } from '../oauth/token-cache.js';
import type { Store } from '../store/store.js';

/** A failed SR check is remembered this long, so a probe every second does not call SR every second. */
const SR_FAILURE_MEMO_MS = 10_000;
/** How long a database check's answer serves the probes that follow it (it is public: no key needed). */
const DATABASE_CHECK_MS = 1_000;

export interface HealthDeps {
  store: Store;
  masterToken: TokenCache;
  now: () => number;
}

export function healthRoutes({ store, masterToken, now }: HealthDeps) {
  let srFailure: { reason: string; until: number } | undefined;
  let databaseCheck: { answer: ReturnType<Store['readiness']>; at: number } | undefined;

  /** One database check at a time, its answer reused for a moment: a flood of probes costs one query a second. */
  function databaseReadiness(): ReturnType<Store['readiness']> {
    if (!databaseCheck || now() - databaseCheck.at >= DATABASE_CHECK_MS) databaseCheck = { answer: store.readiness(), at: now() };
    return databaseCheck.answer;
  }

  async function smartRecruitersCheck(): Promise<{ ok: boolean; reason?: string }> {
    if (srFailure && srFailure.until > now()) return { ok: false, reason: srFailure.reason };
    try {
      // Cached until shortly before it expires: a healthy kit makes no request here.
      await masterToken.get();
      srFailure = undefined;
      return { ok: true };
    } catch (error) {
      const reason = error instanceof OutboundError ? `SmartRecruiters refused or failed the master token request: ${error.kind}${error.status ? ` (HTTP ${error.status})` : ''}` : 'the master token request failed';
      srFailure = { reason, until: now() + SR_FAILURE_MEMO_MS };
      return { ok: false, reason };
    }
  }

  return {
    healthz(ctx: Context) {
      ctx.body = { status: 'ok' };
    },
    async readyz(ctx: Context) {
      const [database, smartRecruiters] = await Promise.all([databaseReadiness(), smartRecruitersCheck()]);
      const databaseReady = database.reachable && database.pendingMigrations.length === 0;
      ctx.status = databaseReady ? 200 : 503;
      ctx.body = {
        status: !databaseReady ? 'unavailable' : smartRecruiters.ok ? 'ready' : 'degraded',
        checks: {
          database: database.reachable
            ? database.pendingMigrations.length === 0
              ? { ok: true }
              : { ok: false, reason: `migrations not applied: ${database.pendingMigrations.join(', ')}` }
            : { ok: false, reason: 'the database does not answer' },
          smartRecruitersMasterToken: smartRecruiters,
        },
      };
    },
  };
}
