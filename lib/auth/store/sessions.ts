// Console sessions: a random ID in the database, carried in a signed HTTP-only cookie.
import type { Database } from "../../db/client";
import { scopesForRole, type Actor } from "../core/scopes";
import { newSessionId, signValue, unsignValue } from "../core/secrets";

export const SESSION_COOKIE = "tg_session";
export const SESSION_TTL_MS = 7 * 24 * 3_600_000;

export async function createSession(db: Database, userId: string, key: string, now = new Date()): Promise<{ cookieValue: string; expiresAt: Date }> {
  const id = newSessionId();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.prisma.session.create({ data: { id, userId, expiresAt } });
  return { cookieValue: signValue(id, key), expiresAt };
}

/** The user behind a cookie value, or null when it is unsigned, unknown, expired or disabled. */
export async function resolveSession(db: Database, cookieValue: string | undefined, key: string, now = new Date()): Promise<Extract<Actor, { type: "user" }> & { email: string } | null> {
  const id = cookieValue ? unsignValue(cookieValue, key) : null;
  if (!id) return null;
  const session = await db.prisma.session.findUnique({ where: { id }, include: { user: true } });
  if (!session || session.expiresAt <= now || session.user.disabledAt) return null;
  const { user } = session;
  return { type: "user", id: user.id, name: user.name, email: user.email, role: user.role, scopes: scopesForRole(user.role) };
}

export async function deleteSession(db: Database, cookieValue: string | undefined, key: string): Promise<void> {
  const id = cookieValue ? unsignValue(cookieValue, key) : null;
  if (id) await db.prisma.session.deleteMany({ where: { id } });
}

export function sessionCookie(value: string, opts: { expiresAt: Date; secure: boolean }): string {
  const parts = [`${SESSION_COOKIE}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Expires=${opts.expiresAt.toUTCString()}`];
  if (opts.secure) parts.push("Secure");
  return parts.join("; ");
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? "; Secure" : ""}`;
}
