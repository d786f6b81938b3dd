// Console users: creation, role changes, disabling, login checks, and the first admin account.
import { recordAudit } from "../../audit/audit";
import type { Database } from "../../db/client";
import { DomainError } from "../../errors";
import { Role } from "../core/scopes";
import { hashPassword, newPassword, verifyPassword } from "../core/secrets";
import type { ServiceContext } from "../../context/service-context";
import { UserInput, UserPatch, type UserView } from "../core/user-schemas";

type UserRow = { id: string; email: string; name: string; role: Role; disabledAt: Date | null; createdAt: Date; lastLoginAt: Date | null };

function toView(u: UserRow): UserView {
  return { id: u.id, email: u.email, name: u.name, role: u.role, disabled: u.disabledAt !== null, createdAt: u.createdAt.toISOString(), lastLoginAt: u.lastLoginAt?.toISOString() ?? null };
}

export async function listUsers(db: Database): Promise<UserView[]> {
  return (await db.prisma.user.findMany({ orderBy: { createdAt: "asc" } })).map(toView);
}

export async function createUser(ctx: ServiceContext, input: UserInput): Promise<UserView> {
  const passwordHash = await hashPassword(input.password);
  return ctx.db.prisma.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: input.email } })) {
      throw new DomainError("conflict", `a user with email ${input.email} already exists`);
    }
    const user = await tx.user.create({ data: { email: input.email, name: input.name, role: input.role, passwordHash } });
    await recordAudit(tx, { actor: ctx.actor, action: "user.create", targetType: "user", targetId: user.id, details: { email: user.email, role: user.role }, requestId: ctx.requestId });
    return toView(user);
  });
}

export async function updateUser(ctx: ServiceContext, id: string, patch: UserPatch): Promise<UserView> {
  const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
  return ctx.db.prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id } });
    if (!user) throw new DomainError("not_found", `no user ${id}`);
    const demotes = (patch.role && patch.role !== "admin") || patch.disabled === true;
    if (user.role === "admin" && demotes) {
      const admins = await tx.user.count({ where: { role: "admin", disabledAt: null } });
      if (admins <= 1) throw new DomainError("conflict", "the last active admin cannot be demoted or disabled");
    }
    const updated = await tx.user.update({
      where: { id },
      data: {
        role: patch.role,
        passwordHash,
        disabledAt: patch.disabled === undefined ? undefined : patch.disabled ? new Date() : null,
      },
    });
    if (patch.disabled || passwordHash) await tx.session.deleteMany({ where: { userId: id } });
    const details = { role: patch.role, disabled: patch.disabled, passwordChanged: passwordHash ? true : undefined };
    await recordAudit(tx, { actor: ctx.actor, action: "user.update", targetType: "user", targetId: id, details, requestId: ctx.requestId });
    return toView(updated);
  });
}

export type LoginCheck = { ok: true; user: UserView } | { ok: false; reason: "unknown_email" | "wrong_password" | "disabled"; userId: string | null };

/** Whether an email and password log in; a disabled user cannot. The reason is for the audit log, never the caller. */
export async function checkLogin(db: Database, email: string, password: string): Promise<LoginCheck> {
  const user = await db.prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  // Hash anyway when the user is unknown so response time does not reveal which emails exist.
  const ok = await verifyPassword(password, user?.passwordHash ?? "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA");
  if (!user) return { ok: false, reason: "unknown_email", userId: null };
  if (!ok) return { ok: false, reason: "wrong_password", userId: user.id };
  if (user.disabledAt) return { ok: false, reason: "disabled", userId: user.id };
  await db.prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  return { ok: true, user: toView(user) };
}

/**
 * Creates the first admin when there are no users. Returns the generated password so the
 * caller can print it once; null when an admin existed or the password came from the environment.
 */
export async function ensureFirstAdmin(ctx: ServiceContext, opts: { email: string; password?: string }): Promise<{ email: string; generatedPassword: string | null } | null> {
  if ((await ctx.db.prisma.user.count()) > 0) return null;
  const password = opts.password ?? newPassword();
  try {
    await createUser(ctx, { email: opts.email, name: "Administrator", role: "admin", password });
  } catch (err) {
    // Another replica starting at the same moment created the admin first.
    if ((await ctx.db.prisma.user.count()) > 0) return null;
    throw err;
  }
  return { email: opts.email, generatedPassword: opts.password ? null : password };
}
