// The REST API's operations in one place: path, method, required scope and zod schemas. Route
// handlers, tests and the generated openapi.json all read the same definitions.
import { z } from "zod";
import { Scope } from "../../auth/core/scopes";
import { TokenInput, TokenView } from "../../auth/core/token-schemas";
import { UserInput, UserPatch, UserView } from "../../auth/core/user-schemas";
import { BigintKey, queryNumber } from "./fields";
import type { Operation } from "./contract-types";
import { faroApi } from "./faro-contract";
import { gateApi } from "./gate-contract";
import { jobsApi } from "./jobs-contract";
import { sloApi } from "./slo-contract";
import { signalApi } from "./signal-contract";
import { telemetryApi } from "./telemetry-contract";
import { webhookApi } from "./webhook-contract";

export type { Operation } from "./contract-types";

const Id = z.object({ id: z.string().uuid() });

export const Me = z
  .object({ type: z.enum(["user", "token"]), id: z.string(), name: z.string(), email: z.string().nullable(), role: z.string().nullable(), scopes: z.array(Scope) })
  .strict();

export const LoginInput = z.object({ email: z.string().trim().min(1, "required").max(320), password: z.string().min(1, "required").max(1024) });

export const InstanceView = z
  .object({ id: z.string(), role: z.string(), hostname: z.string(), pid: z.number(), version: z.string(), startedAt: z.string(), lastSeenAt: z.string(), isLeader: z.boolean(), lastTickAt: z.string().nullable(), lastTickMs: z.number().nullable() })
  .strict();

export const StatusView = z
  .object({
    version: z.string(),
    database: z.object({ kind: z.enum(["pglite", "postgres"]), location: z.string() }).strict(),
    ingest: z.object({ otlpHttpEndpoint: z.string(), otlpGrpcEndpoint: z.string(), auth: z.enum(["required", "open"]) }).strict(),
    instances: z.array(InstanceView),
  })
  .strict();

export const AuditView = z
  .object({ id: z.string(), at: z.string(), actorType: z.string(), actorName: z.string(), action: z.string(), targetType: z.string(), targetId: z.string().nullable(), details: z.unknown(), requestId: z.string().nullable() })
  .strict();

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional(), requestId: z.string().optional() }).strict() }).strict();

export const api = {
  login: { method: "POST", path: "/api/v1/auth/login", summary: "Log in to the console (sets the session cookie); 429 with Retry-After while the account or client address is locked after failed attempts", scope: "public", body: LoginInput, response: Me },
  logout: { method: "POST", path: "/api/v1/auth/logout", summary: "Log out (clears the session)", scope: "public", response: z.object({ ok: z.literal(true) }).strict() },
  me: { method: "GET", path: "/api/v1/auth/me", summary: "Who the current credential is", scope: "session", response: Me },
  status: { method: "GET", path: "/api/v1/status", summary: "Version, database, ingest endpoints and running replicas", scope: "read", response: StatusView },
  listTokens: { method: "GET", path: "/api/v1/tokens", summary: "List API tokens (never their secrets)", scope: "admin", response: z.object({ tokens: z.array(TokenView) }).strict() },
  createToken: { method: "POST", path: "/api/v1/tokens", summary: "Create an API token; its secret is returned once", scope: "admin", body: TokenInput, response: z.object({ token: TokenView, secret: z.string() }).strict(), status: 201 },
  revokeToken: { method: "DELETE", path: "/api/v1/tokens/{id}", summary: "Revoke an API token", scope: "admin", params: Id, response: z.object({ token: TokenView }).strict() },
  listUsers: { method: "GET", path: "/api/v1/users", summary: "List console users", scope: "admin", response: z.object({ users: z.array(UserView) }).strict() },
  createUser: { method: "POST", path: "/api/v1/users", summary: "Create a console user", scope: "admin", body: UserInput, response: z.object({ user: UserView }).strict(), status: 201 },
  updateUser: { method: "PATCH", path: "/api/v1/users/{id}", summary: "Change a user's role, password, or disable them", scope: "admin", body: UserPatch, params: Id, response: z.object({ user: UserView }).strict() },
  listAudit: { method: "GET", path: "/api/v1/audit", summary: "Audit log, newest first", scope: "admin", query: z.object({ limit: queryNumber({ min: 1, max: 500 }).default(100), before: BigintKey.optional() }), response: z.object({ entries: z.array(AuditView), nextBefore: z.string().nullable() }).strict() },
  ...sloApi,
  ...webhookApi,
  ...gateApi,
  ...telemetryApi,
  ...jobsApi,
  ...signalApi,
  ...faroApi,
} satisfies Record<string, Operation>;

export type Api = typeof api;
