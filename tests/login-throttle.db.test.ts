// Login limits per account and per client address, kept in the database so replicas share them
// (issue #13, defect 7): 429 with Retry-After while locked, growing locks, audited failures.
import { beforeAll, expect, it } from "vitest";
import * as login from "../app/api/v1/auth/login/route";
import { engineJobs } from "../engine/catalog";
import { attemptLogin, loginPolicies } from "../lib/auth/store/login";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { createUser } from "../lib/auth/store/users";
import { openDatabase, type Database } from "../lib/db/client";
import { PEER_ADDRESS_HEADER } from "../lib/api/http/client-address";
import { createMetrics } from "../lib/observability/metrics";
import { setAppContext, type AppContext } from "../lib/context/app-context";
import { callRoute, installTestApp } from "./helpers/app";
import { describeEachDatabase } from "./helpers/databases";

const PASSWORD = "correct-horse-battery";

describeEachDatabase("login limits", ({ db, kind, url }) => {
  let app: AppContext;
  const attempt = (email: string, password: string, address: string, extra: Record<string, string> = {}) =>
    callRoute(login.POST, { method: "POST", path: "/api/v1/auth/login", body: { email, password }, headers: { [PEER_ADDRESS_HEADER]: address, ...extra } });
  const user = (email: string) => createUser({ db: db(), actor: SYSTEM_ACTOR }, { email, name: email.split("@")[0]!, role: "viewer", password: PASSWORD });
  const unlock = (key: string) => db().sql.query(`UPDATE login_throttles SET locked_until = now() - interval '1 second' WHERE key = $1`, [key]);

  beforeAll(async () => {
    app = installTestApp(db());
    for (const email of ["alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com", "erin@example.com", "frank@example.com"]) await user(email);
  });

  it("answers 429 with Retry-After after 5 wrong passwords, even for the right one, and the right one after the lock clears the count", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await attempt("alice@example.com", `wrong-guess-${i}`, "198.51.100.1")).status);
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses.slice(4).every((s) => s === 429)).toBe(true);
    const right = await attempt("Alice@Example.com ", PASSWORD, "198.51.100.1");
    expect(right.status).toBe(429);
    const retryAfterS = Number(right.headers.get("retry-after"));
    expect(retryAfterS).toBeGreaterThanOrEqual(1);
    expect(retryAfterS).toBeLessThanOrEqual(30);
    expect(right.json.error).toMatchObject({ code: "too_many_attempts", message: `too many attempts, try again in ${retryAfterS} s`, details: { retryAfterS } });

    await unlock("account:alice@example.com");
    expect((await attempt("alice@example.com", PASSWORD, "198.51.100.1")).status).toBe(200);
    const [row] = await db().sql.query<{ remaining: number; lockouts: number; locked_until: Date | null }>(`SELECT remaining, lockouts, locked_until FROM login_throttles WHERE key = 'account:alice@example.com'`);
    expect(row).toMatchObject({ remaining: 5, lockouts: 0, locked_until: null });
    expect((await attempt("alice@example.com", "wrong-again", "198.51.100.1")).status).toBe(401);
  });

  it("doubles the lock with each failure after one: 30 s, 60 s, 120 s", async () => {
    const locks: string[] = [];
    for (let i = 0; i < 5; i++) locks.push(`${(await attempt("bob@example.com", "wrong", "198.51.100.3")).status}`);
    for (let i = 0; i < 2; i++) {
      await unlock("account:bob@example.com");
      const r = await attempt("bob@example.com", "wrong", "198.51.100.3");
      locks.push(`${r.status} ${r.headers.get("retry-after")}`);
    }
    expect(locks).toEqual(["401", "401", "401", "401", "429", "429 60", "429 120"]);
  });

  it("limits one client address across different emails, believing X-Forwarded-For only from trusted proxies", async () => {
    const statuses: number[] = [];
    // A client forging X-Forwarded-For on each request is still one address: no proxy is trusted by default.
    for (let i = 0; i < 20; i++) statuses.push((await attempt(`nobody-${i}@example.com`, "wrong", "198.51.100.4", { "x-forwarded-for": `10.9.0.${i}` })).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(19);
    expect(statuses[19]).toBe(429);
    expect((await attempt("carol@example.com", PASSWORD, "198.51.100.4")).status).toBe(429);
    expect((await attempt("carol@example.com", PASSWORD, "198.51.100.5")).status).toBe(200);

    // Behind one trusted proxy, the address it appended is the client: one client cannot lock out the others.
    installTestApp(db(), { TAILGUARD_TRUSTED_PROXY_HOPS: "1" });
    try {
      expect((await attempt("carol@example.com", PASSWORD, "198.51.100.4", { "x-forwarded-for": "203.0.113.50" })).status).toBe(200);
    } finally {
      setAppContext(app);
    }
  });

  it("never limits successful logins, however many", async () => {
    for (let i = 0; i < 4; i++) expect((await attempt("dave@example.com", "wrong", "198.51.100.6")).status).toBe(401);
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await attempt("dave@example.com", PASSWORD, "198.51.100.6")).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it("audits each failed login and each lock, never the password, and counts them", async () => {
    const failed = await db().prisma.auditLog.findMany({ where: { action: "session.login_failed" } });
    const alice = failed.filter((a) => (a.details as { email?: string }).email === "alice@example.com");
    // Only the attempts whose password was checked: 5 before the lock, 1 after it cleared.
    expect(alice).toHaveLength(6);
    expect(alice[0]).toMatchObject({ actorType: "system", actorName: "anonymous", targetType: "user", details: { email: "alice@example.com", address: "198.51.100.1", reason: "wrong_password" } });
    expect(alice[0]?.targetId).toMatch(/^[0-9a-f-]{36}$/);
    expect(failed.find((a) => (a.details as { email?: string }).email === "nobody-0@example.com")?.details).toMatchObject({ reason: "unknown_email" });
    const lockouts = await db().prisma.auditLog.findMany({ where: { action: "session.lockout" }, orderBy: { id: "asc" } });
    expect(lockouts.filter((a) => a.targetId === "account:bob@example.com").map((a) => (a.details as { lockedForS: number }).lockedForS)).toEqual([30, 60, 120]);
    expect(lockouts.find((a) => a.targetId === "address:198.51.100.4")?.details).toMatchObject({ scope: "address", address: "198.51.100.4", lockedForS: 30 });
    const everything = JSON.stringify(await db().prisma.auditLog.findMany({ select: { action: true, targetId: true, details: true } }));
    expect(everything).not.toContain("wrong-guess");
    expect(everything).not.toContain(PASSWORD);

    const counted = async (name: string) => (await app.metrics.registry.getSingleMetric(name)!.get()).values;
    expect((await counted("tailguard_login_attempts_total")).find((v) => v.labels.outcome === "throttled")?.value).toBeGreaterThanOrEqual(20);
    expect((await counted("tailguard_login_lockouts_total")).find((v) => v.labels.scope === "account")?.value).toBeGreaterThanOrEqual(4);
  });

  it("is forgotten by the engine's retention a day after the last attempt and lock", async () => {
    await db().sql.query(`UPDATE login_throttles SET last_attempt_at = now() - interval '25 hours', locked_until = NULL WHERE key = 'account:dave@example.com'`);
    await db().sql.query(`UPDATE login_throttles SET last_attempt_at = now() - interval '25 hours', locked_until = now() + interval '1 minute' WHERE key = 'account:bob@example.com'`);
    const job = engineJobs.find((j) => j.name === "retention.control-plane")!;
    await job.run({ db: db(), logger: app.logger, now: new Date(), instanceId: "test", isLeader: true, app });
    const keys = (await db().sql.query<{ key: string }>(`SELECT key FROM login_throttles`)).map((r) => r.key);
    expect(keys).not.toContain("account:dave@example.com");
    expect(keys).toContain("account:bob@example.com");
  });

  it.skipIf(kind !== "postgres")("shares one lock between two replicas on the same PostgreSQL, also under a parallel burst", async () => {
    const second: Database = await openDatabase({ databaseUrl: url(), dataDir: "memory://" });
    try {
      const replicas = [app, installTestApp(second)];
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        setAppContext(replicas[i % 2]!);
        statuses.push((await attempt("erin@example.com", "wrong", "198.51.100.7")).status);
      }
      setAppContext(replicas[1]!);
      const right = await attempt("erin@example.com", PASSWORD, "198.51.100.8");
      setAppContext(app);
      expect(statuses).toEqual([401, 401, 401, 401, 429]);
      expect(right.status).toBe(429);

      // Twelve wrong passwords at once through both replicas: only the allowance (5) is ever checked.
      const policies = loginPolicies(app.config);
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          attemptLogin({ db: i % 2 ? second : db(), metrics: createMetrics() }, { email: "frank@example.com", password: "wrong", address: `198.51.100.${20 + i}`, addressLimitKey: `198.51.100.${20 + i}`, now: new Date(), policies }),
        ),
      );
      expect(outcomes.every((o) => !o.ok)).toBe(true);
      const checked = await db().prisma.auditLog.count({ where: { action: "session.login_failed", details: { path: ["email"], equals: "frank@example.com" } } });
      expect(checked).toBe(5);
      expect(await db().prisma.auditLog.count({ where: { action: "session.lockout", targetId: "account:frank@example.com" } })).toBe(1);
    } finally {
      setAppContext(app);
      await second.close();
    }
  });
});
