// What the API accepts and returns for an API token; the contract serves these schemas.
import { z } from "zod";
import { Scope } from "./scopes";

export const TokenInput = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(Scope).min(1, "choose at least one scope").transform((s) => [...new Set(s)].sort()),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type TokenInput = z.input<typeof TokenInput>;

export const TokenView = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(Scope),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .strict();
export type TokenView = z.infer<typeof TokenView>;
