import { beforeAll, expect, it } from "vitest";
import * as login from "../app/api/v1/auth/login/route";
import * as logout from "../app/api/v1/auth/logout/route";
import * as me from "../app/api/v1/auth/me/route";
import * as audit from "../app/api/v1/audit/route";
import * as status from "../app/api/v1/status/route";
import * as tokens from "../app/api/v1/tokens/route";
import * as tokenById from "../app/api/v1/tokens/[id]/route";
import * as users from "../app/api/v1/users/route";
import * as userById from "../app/api/v1/users/[id]/route";
import { api } from "../lib/api/core/contract";
import { SYSTEM_ACTOR } from "../lib/auth/core/scopes";
import { createToken, ensureBootstrapToken } from "../lib/auth/store/tokens";
import { ensureFirstAdmin } from "../lib/auth/store/users";
import { callRoute, installTestApp } from "./helpers/app";
import { describeEachDatabase } from "./helpers/databases";

const ADMIN = { email: "admin@example.com", password: "correct-horse-battery" };

describeEachDatabase("auth and tokens API", ({ db }) => {
  let adminCookie = "";

  beforeAll(async () => {
    installTestApp(db());
    await ensureFirstAdmin({ db: db(), actor: SYSTEM_ACTOR }, ADMIN);
    const r = await callRoute(login.POST, { method: "POST", path: "/api/v1/auth/login", body: ADMIN });
    expect(r.status).toBe(200);
    const setCookie = r.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    adminCookie = setCookie.split(";")[0] ?? "";
  });

  it("refuses a wrong password without saying which part was wrong", async () => {
    const r = await callRoute(login.POST, { method: "POST", path: "/api/v1/auth/login", body: { ...ADMIN, password: "nope-nope-nope" } });
    expect(r.status).toBe(401);
    expect(r.json.error.message).toBe("wrong email or password, or the account is disabled");
  });

  it("names the invalid field of a bad request", async () => {
    const r = await callRoute(tokens.POST, { method: "POST", path: "/api/v1/tokens", body: { name: "", scopes: ["fly"] }, cookie: adminCookie });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe("invalid");
    expect(r.json.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(["body.name", "body.scopes.0"]));
  });

  it("creates a token shown once, stores only its hash, and the token works with its scope only", async () => {
    const created = await callRoute(tokens.POST, { method: "POST", path: "/api/v1/tokens", body: { name: "ci-gate", scopes: ["read", "gate"] }, cookie: adminCookie });
    expect(created.status).toBe(201);
    api.createToken.response.parse(created.json);
    const secret: string = created.json.secret;
    const stored = await db().sql.query<{ hash: string }>("SELECT hash FROM api_tokens WHERE id = $1", [created.json.token.id]);
    expect(stored[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(secret);

    const list = await callRoute(tokens.GET, { path: "/api/v1/tokens", cookie: adminCookie });
    expect(JSON.stringify(list.json)).not.toContain(secret);

    const asToken = await callRoute(status.GET, { path: "/api/v1/status", token: secret });
    expect(asToken.status).toBe(200);
    api.status.response.parse(asToken.json);
    const forbidden = await callRoute(tokens.GET, { path: "/api/v1/tokens", token: secret });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.error.message).toContain("`admin` scope");

    const revoked = await callRoute(tokenById.DELETE, { method: "DELETE", path: `/api/v1/tokens/${created.json.token.id}`, params: { id: created.json.token.id }, cookie: adminCookie });
    expect(revoked.status).toBe(200);
    expect(revoked.json.token.revokedAt).not.toBeNull();
    const after = await callRoute(status.GET, { path: "/api/v1/status", token: secret });
    expect(after.status).toBe(401);
    expect(after.json.error.message).toBe("API token revoked");
  });

  it("refuses missing, malformed and unknown credentials", async () => {
    expect((await callRoute(status.GET, { path: "/api/v1/status" })).status).toBe(401);
    expect((await callRoute(status.GET, { path: "/api/v1/status", token: "tg_unknown" })).status).toBe(401);
    expect((await callRoute(status.GET, { path: "/api/v1/status", cookie: "tg_session=forged.signature" })).status).toBe(401);
  });

  it("refuses a cross-site request carrying the session cookie", async () => {
    const r = await callRoute(tokens.POST, { method: "POST", path: "/api/v1/tokens", body: { name: "x", scopes: ["read"] }, cookie: adminCookie, origin: "https://evil.example" });
    expect(r.status).toBe(403);
  });

  it("gives viewers read access but not administration", async () => {
    const created = await callRoute(users.POST, { method: "POST", path: "/api/v1/users", body: { email: "Viewer@Example.com", name: "Vi", role: "viewer", password: "viewer-password-1" }, cookie: adminCookie });
    expect(created.status).toBe(201);
    expect(created.json.user.email).toBe("viewer@example.com");
    const dup = await callRoute(users.POST, { method: "POST", path: "/api/v1/users", body: { email: "viewer@example.com", name: "Vi", role: "viewer", password: "viewer-password-1" }, cookie: adminCookie });
    expect(dup.status).toBe(409);
    const l = await callRoute(login.POST, { method: "POST", path: "/api/v1/auth/login", body: { email: "viewer@example.com", password: "viewer-password-1" } });
    const cookie = l.headers.get("set-cookie")?.split(";")[0] ?? "";
    expect((await callRoute(me.GET, { path: "/api/v1/auth/me", cookie })).json).toMatchObject({ role: "viewer", scopes: ["read"] });
    expect((await callRoute(status.GET, { path: "/api/v1/status", cookie })).status).toBe(200);
    expect((await callRoute(tokens.GET, { path: "/api/v1/tokens", cookie })).status).toBe(403);

    const disabled = await callRoute(userById.PATCH, { method: "PATCH", path: `/api/v1/users/${created.json.user.id}`, params: { id: created.json.user.id }, body: { disabled: true }, cookie: adminCookie });
    expect(disabled.json.user.disabled).toBe(true);
    expect((await callRoute(status.GET, { path: "/api/v1/status", cookie })).status).toBe(401);
  });

  it("keeps at least one active admin", async () => {
    const meRes = await callRoute(me.GET, { path: "/api/v1/auth/me", cookie: adminCookie });
    const r = await callRoute(userById.PATCH, { method: "PATCH", path: `/api/v1/users/${meRes.json.id}`, params: { id: meRes.json.id }, body: { role: "viewer" }, cookie: adminCookie });
    expect(r.status).toBe(409);
  });

  it("records every change in the audit log with the request ID", async () => {
    const r = await callRoute(audit.GET, { path: "/api/v1/audit?limit=100", cookie: adminCookie });
    const actions = r.json.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["user.create", "session.login", "token.create", "token.revoke", "user.update"]));
    expect(r.json.entries.find((e: { action: string }) => e.action === "token.create").requestId).toBe("test-req");
  });

  it("logs out by deleting the session", async () => {
    const l = await callRoute(login.POST, { method: "POST", path: "/api/v1/auth/login", body: ADMIN });
    const cookie = l.headers.get("set-cookie")?.split(";")[0] ?? "";
    expect((await callRoute(logout.POST, { method: "POST", path: "/api/v1/auth/logout", cookie })).status).toBe(200);
    expect((await callRoute(me.GET, { path: "/api/v1/auth/me", cookie })).status).toBe(401);
  });

  it("ensures the bootstrap token exists exactly once, as an admin token", async () => {
    const secret = "bootstrap_secret_value_0123456789";
    const svc = { db: db(), actor: SYSTEM_ACTOR };
    expect(await ensureBootstrapToken(svc, secret)).toBe("created");
    expect(await ensureBootstrapToken(svc, secret)).toBe("exists");
    expect((await callRoute(tokens.GET, { path: "/api/v1/tokens", token: secret })).status).toBe(200);
  });

  it("rejects expired tokens", async () => {
    const { secret } = await createToken({ db: db(), actor: SYSTEM_ACTOR }, { name: "short", scopes: ["read"], expiresInDays: 1 }, new Date(Date.now() - 2 * 86_400_000));
    const r = await callRoute(status.GET, { path: "/api/v1/status", token: secret });
    expect(r.json.error.message).toBe("API token expired");
  });
});
