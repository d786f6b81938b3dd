// A console login attempt: throttled per account and per client address (shared by every replica through
// the database), the password checked only when admitted, and failures and locks audited and counted.
import { recordAudit } from "../../audit/audit";
import type { Config } from "../../config/env";
import type { Database } from "../../db/client";
import type { Metrics } from "../../observability/metrics";
import type { ThrottlePolicy } from "../core/login-throttle";
import { accountKey, addressKey, admitLogin, settleLogin, type ThrottleKey } from "./login-throttle";
import type { Actor } from "../core/scopes";
import { checkLogin } from "./users";
import { type UserView } from "../core/user-schemas";

export type LoginPolicies = { account: ThrottlePolicy; address: ThrottlePolicy };

const QUIET_SECONDS = 15 * 60;
const FIRST_LOCK_SECONDS = 30;
const MAX_LOCK_SECONDS = 15 * 60;

export function loginPolicies(config: Pick<Config, "TAILGUARD_LOGIN_MAX_FAILURES_PER_ACCOUNT" | "TAILGUARD_LOGIN_MAX_FAILURES_PER_ADDRESS">): LoginPolicies {
  const shape = { quietSeconds: QUIET_SECONDS, firstLockSeconds: FIRST_LOCK_SECONDS, maxLockSeconds: MAX_LOCK_SECONDS };
  return {
    account: { ...shape, maxFailures: config.TAILGUARD_LOGIN_MAX_FAILURES_PER_ACCOUNT },
    address: { ...shape, maxFailures: config.TAILGUARD_LOGIN_MAX_FAILURES_PER_ADDRESS },
  };
}

export type LoginAttempt = { email: string; password: string; address: string; addressLimitKey: string; now: Date; policies: LoginPolicies };
export type LoginOutcome = { ok: true; user: UserView } | { ok: false; reason: "refused" } | { ok: false; reason: "throttled"; retryAfterS: number };
export type LoginContext = { db: Database; metrics: Pick<Metrics, "loginAttempts" | "loginLockouts">; requestId?: string };

const ANONYMOUS: Actor = { type: "system", name: "anonymous", scopes: [] };

export async function attemptLogin(ctx: LoginContext, a: LoginAttempt): Promise<LoginOutcome> {
  // One bucket for every spelling of an address (case, width, composed accents).
  const email = a.email.normalize("NFKC").trim().toLowerCase();
  // The address first: every attempt takes its lock in this order, so two never wait on each other.
  const keys: ThrottleKey[] = [
    { scope: "address", key: addressKey(a.addressLimitKey), policy: a.policies.address },
    { scope: "account", key: accountKey(email), policy: a.policies.account },
  ];
  const admitted = await admitLogin(ctx.db, keys, a.now);
  if (!admitted.ok) {
    ctx.metrics.loginAttempts.inc({ outcome: "throttled" });
    return { ok: false, reason: "throttled", retryAfterS: admitted.retryAfterS };
  }
  const check = await checkLogin(ctx.db, a.email, a.password);
  if (check.ok) {
    await settleLogin(ctx.db, keys, "success", a.now);
    ctx.metrics.loginAttempts.inc({ outcome: "success" });
    return { ok: true, user: check.user };
  }
  const locks = await settleLogin(ctx.db, keys, "failure", a.now);
  ctx.metrics.loginAttempts.inc({ outcome: "failure" });
  await recordAudit(ctx.db.prisma, { actor: ANONYMOUS, action: "session.login_failed", targetType: "user", targetId: check.userId, details: { email, address: a.address, reason: check.reason }, requestId: ctx.requestId });
  for (const lock of locks) {
    ctx.metrics.loginLockouts.inc({ scope: lock.scope });
    const subject = lock.scope === "account" ? { email } : { address: a.address, addressKey: a.addressLimitKey };
    await recordAudit(ctx.db.prisma, { actor: ANONYMOUS, action: "session.lockout", targetType: "login_throttle", targetId: lock.key, details: { scope: lock.scope, ...subject, lockedForS: lock.lockedForS, lockouts: lock.lockouts }, requestId: ctx.requestId });
  }
  if (locks.length > 0) return { ok: false, reason: "throttled", retryAfterS: Math.max(...locks.map((l) => l.lockedForS)) };
  return { ok: false, reason: "refused" };
}
