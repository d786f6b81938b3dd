// What each credential may do: token scopes, and the scopes a console role implies.
import { z } from "zod";

export const SCOPES = ["ingest", "read", "write", "gate", "admin"] as const;
export const Scope = z.enum(SCOPES);
export type Scope = z.infer<typeof Scope>;

export const ROLES = ["viewer", "editor", "admin"] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  viewer: ["read"],
  editor: ["read", "write", "gate"],
  admin: SCOPES,
};

export function scopesForRole(role: Role): readonly Scope[] {
  return ROLE_SCOPES[role];
}

export type Actor =
  | { type: "user"; id: string; name: string; role: Role; scopes: readonly Scope[] }
  | { type: "token"; id: string; name: string; scopes: readonly Scope[] }
  | { type: "system"; name: string; scopes: readonly Scope[] };

export function hasScope(actor: Pick<Actor, "scopes">, scope: Scope): boolean {
  // An admin credential may do everything; the other scopes are independent of each other.
  return actor.scopes.includes("admin") || actor.scopes.includes(scope);
}

export const SYSTEM_ACTOR: Actor = { type: "system", name: "tailguard", scopes: ["admin"] };
