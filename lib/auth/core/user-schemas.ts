// What the API accepts and returns for a console user; the contract serves these schemas.
import { z } from "zod";
import { Role } from "./scopes";

export const UserInput = z.object({
  email: z.string().trim().toLowerCase().max(320).email(),
  name: z.string().trim().min(1).max(100),
  role: Role,
  password: z.string().min(12, "must be at least 12 characters").max(200),
});
export type UserInput = z.infer<typeof UserInput>;

export const UserPatch = z
  .object({ role: Role.optional(), disabled: z.boolean().optional(), password: UserInput.shape.password.optional() })
  .refine((p) => Object.keys(p).length > 0, "nothing to change");
export type UserPatch = z.infer<typeof UserPatch>;

export const UserView = z
  .object({ id: z.string(), email: z.string(), name: z.string(), role: Role, disabled: z.boolean(), createdAt: z.string(), lastLoginAt: z.string().nullable() })
  .strict();
export type UserView = z.infer<typeof UserView>;
