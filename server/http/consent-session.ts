/**
 * The consent session: iron-session sealed data, carried by a cookie and, when the browser refuses
 * the cookie (third-party cookie blocking in the SmartRecruiters iframe), by the `x-ats-session`
 * request header that the widget keeps in memory (DESIGN.md "Session"; reference/security.md T10).
 *
 * Cookie attributes follow reference/security.md §2.1: `SameSite=None; Secure; Partitioned;
 * HttpOnly; Path=/` (iron-session would default to `lax` and 14 days; both are overridden), with a
 * lifetime of minutes. A tampered, expired or foreign seal reads as "no session".
 *
 * Seals are stateless, so signing out cannot recall one already handed out (issue 13 finding 7).
 * Each signed-in seal therefore carries the user's session epoch from the store, and sign-out
 * advances it: every earlier seal of that user then reads as "no session", for approve, deny and
 * renewal alike (T12). One lookup per request that carries a signed-in seal.
 */
import { sealData, unsealData } from 'iron-session';
import type { Context } from 'koa';
import * as v from 'valibot';
import { SESSION_HEADER } from '../../widget/protocol/http.js';
import { randomId } from '../crypto/secrets.js';
import type { SessionEpochStore } from '../store/store.js';

const User = v.object({
  id: v.string(),
  tenantId: v.string(),
  displayName: v.string(),
  email: v.string(),
});

const Session = v.object({
  csrf: v.string(),
  txn: v.optional(
    v.object({
      id: v.string(),
      companyId: v.string(),
      /** The `redirect` exactly as validated and serialized at entry (T1); the only place it is read back from. */
      redirect: v.nullable(v.string()),
    }),
  ),
  user: v.optional(User),
  signedInAt: v.optional(v.number()),
  /** The user's session epoch when they signed in; absent reads as 0 (never signed out). */
  epoch: v.optional(v.number()),
});
export type ConsentSession = v.InferOutput<typeof Session>;

const MAX_SEAL_LENGTH = 4096;
/** A sign-in is good for this long whatever the session's renewals: then the user signs in again (T4). */
const MAX_SIGN_IN_AGE_MS = 60 * 60_000;

export interface SessionSettings {
  cookieName: string;
  secret: string;
  ttlSeconds: number;
}

export class ConsentSessions {
  constructor(
    readonly settings: SessionSettings,
    private readonly epochs: SessionEpochStore,
    /** The kit's clock, the one `signedInAt` is stamped with (on PostgreSQL the database's: database-clock.ts). */
    private readonly now: () => number = Date.now,
  ) {}

  /** A fresh session; always a new CSRF token, so a sign-in never keeps a planted one (T4). */
  create(fields: Omit<ConsentSession, 'csrf'> = {}): ConsentSession {
    return { ...fields, csrf: randomId(32) };
  }

  /** Header first (the widget's in-memory copy is the newest), then the cookie. */
  async read(ctx: Context): Promise<ConsentSession | null> {
    const header = ctx.get(SESSION_HEADER);
    const seal = header !== '' ? header : ctx.cookies.get(this.settings.cookieName);
    if (!seal || seal.length > MAX_SEAL_LENGTH) return null;
    const data = await unsealData<unknown>(seal, { password: this.settings.secret, ttl: this.settings.ttlSeconds });
    const parsed = v.safeParse(Session, data);
    if (!parsed.success) return null;
    const session = parsed.output;
    if (session.user && (session.epoch ?? 0) !== (await this.epochs.current(session.user))) return null; // signed out since
    if (session.user && (session.signedInAt === undefined || this.now() - session.signedInAt > MAX_SIGN_IN_AGE_MS)) {
      delete session.user;
      delete session.signedInAt;
      delete session.epoch;
    }
    return session;
  }

  /** The fields of a new signed-in session for `user`, under the user's current epoch. */
  async signIn(user: NonNullable<ConsentSession['user']>, now: number): Promise<Pick<ConsentSession, 'user' | 'signedInAt' | 'epoch'>> {
    return { user, signedInAt: now, epoch: await this.epochs.current(user) };
  }

  /** What a renewed session keeps of `previous`: its sign-in, if any, unchanged. */
  keepSignIn(previous: ConsentSession | null): Pick<ConsentSession, 'user' | 'signedInAt' | 'epoch'> {
    if (!previous?.user) return {};
    return { user: previous.user, signedInAt: previous.signedInAt, ...(previous.epoch === undefined ? {} : { epoch: previous.epoch }) };
  }

  /** Ends every session `user` holds anywhere: their earlier seals read as "no session" from now on. */
  async signOutEverywhere(user: NonNullable<ConsentSession['user']>, now: number): Promise<void> {
    await this.epochs.advance(user, now);
  }

  /** Seals `session`, sets the cookie, and returns the seal for the header fallback. */
  async write(ctx: Context, session: ConsentSession): Promise<string> {
    const seal = await sealData(session, { password: this.settings.secret, ttl: this.settings.ttlSeconds });
    ctx.append('set-cookie', this.#cookie(seal, Math.max(this.settings.ttlSeconds - 60, 60)));
    return seal;
  }

  clear(ctx: Context): void {
    ctx.append('set-cookie', this.#cookie('', 0));
  }

  #cookie(value: string, maxAge: number): string {
    // Partitioned is kept on deletion too: a partitioned cookie can only be deleted as one.
    return `${this.settings.cookieName}=${value}; Max-Age=${maxAge}; Path=/; HttpOnly; Secure; Partitioned; SameSite=None`;
  }
}
