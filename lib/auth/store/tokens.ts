// API tokens: created and revoked by admins, stored as a hash, shown once, scoped.
import type { z } from "zod";
import { recordAudit } from "../../audit/audit";
import type { Database } from "../../db/client";
import { DomainError } from "../../errors";
import { Scope, type Actor } from "../core/scopes";
import { hashTokenSecret, newTokenSecret, tokenDisplayPrefix } from "../core/secrets";
import type { ServiceContext } from "../../context/service-context";
import { TokenInput, type TokenView } from "../core/token-schemas";

type TokenRow = { id: string; name: string; prefix: string; scopes: string[]; createdAt: Date; lastUsedAt: Date | null; expiresAt: Date | null; revokedAt: Date | null; createdBy?: { email: string } | null };

function toView(t: TokenRow): TokenView {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scopes: t.scopes as Scope[],
    createdBy: t.createdBy?.email ?? null,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

export async function listTokens(db: Database): Promise<TokenView[]> {
  const rows = await db.prisma.apiToken.findMany({ orderBy: { createdAt: "desc" }, include: { createdBy: { select: { email: true } } } });
  return rows.map(toView);
}

/** Creates a token; the secret is in the result only, never stored or logged. */
export async function createToken(ctx: ServiceContext, input: TokenInput, now = new Date()): Promise<{ token: TokenView; secret: string }> {
  const parsed = TokenInput.parse(input);
  const secret = newTokenSecret();
  return insertToken(ctx, parsed, secret, now);
}

async function insertToken(ctx: ServiceContext, input: z.infer<typeof TokenInput>, secret: string, now: Date) {
  return ctx.db.prisma.$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: {
        name: input.name,
        prefix: tokenDisplayPrefix(secret),
        hash: hashTokenSecret(secret),
        scopes: input.scopes,
        createdById: ctx.actor.type === "user" ? ctx.actor.id : null,
        expiresAt: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null,
      },
      include: { createdBy: { select: { email: true } } },
    });
    await recordAudit(tx, { actor: ctx.actor, action: "token.create", targetType: "token", targetId: row.id, details: { name: row.name, scopes: row.scopes }, requestId: ctx.requestId });
    return { token: toView(row), secret };
  });
}

export async function revokeToken(ctx: ServiceContext, id: string, now = new Date()): Promise<TokenView> {
  return ctx.db.prisma.$transaction(async (tx) => {
    const row = await tx.apiToken.findUnique({ where: { id } });
    if (!row) throw new DomainError("not_found", `no token ${id}`);
    if (row.revokedAt) return toView(row);
    const updated = await tx.apiToken.update({ where: { id }, data: { revokedAt: now }, include: { createdBy: { select: { email: true } } } });
    await recordAudit(tx, { actor: ctx.actor, action: "token.revoke", targetType: "token", targetId: id, details: { name: row.name }, requestId: ctx.requestId });
    return toView(updated);
  });
}

/** The actor for a presented secret, or a reason it is refused. */
export async function authenticateToken(db: Database, secret: string, now = new Date()): Promise<{ ok: true; actor: Actor } | { ok: false; reason: "unknown" | "revoked" | "expired" }> {
  const row = await db.prisma.apiToken.findUnique({ where: { hash: hashTokenSecret(secret) } });
  if (!row) return { ok: false, reason: "unknown" };
  if (row.revokedAt) return { ok: false, reason: "revoked" };
  if (row.expiresAt && row.expiresAt <= now) return { ok: false, reason: "expired" };
  // Recording use at most once a minute keeps hot ingest paths from writing on every request.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { ok: true, actor: { type: "token", id: row.id, name: row.name, scopes: row.scopes as Scope[] } };
}

/** Makes sure an admin token with exactly this secret exists (TAILGUARD_BOOTSTRAP_TOKEN). */
export async function ensureBootstrapToken(ctx: ServiceContext, secret: string): Promise<"created" | "exists"> {
  const existing = await ctx.db.prisma.apiToken.findUnique({ where: { hash: hashTokenSecret(secret) } });
  if (existing && !existing.revokedAt) return "exists";
  if (existing) {
    await ctx.db.prisma.$transaction(async (tx) => {
      await tx.apiToken.update({ where: { id: existing.id }, data: { revokedAt: null, scopes: ["admin"] } });
      await recordAudit(tx, { actor: ctx.actor, action: "token.restore", targetType: "token", targetId: existing.id, details: { name: existing.name, reason: "TAILGUARD_BOOTSTRAP_TOKEN" } });
    });
    return "created";
  }
  await insertToken(ctx, { name: "bootstrap (TAILGUARD_BOOTSTRAP_TOKEN)", scopes: ["admin"] }, secret, new Date());
  return "created";
}
