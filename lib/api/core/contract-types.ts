// The shape of one API operation in the contract (see contract.ts).
import type { z } from "zod";
import type { Scope } from "../../auth/core/scopes";

export type Operation = {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  summary: string;
  /** "public" needs no credential; "session" any logged-in user or token. */
  scope: Scope | "public" | "session";
  body?: z.ZodType;
  /** The path parameters, one per `{name}` in `path` (tests/api-routes-contract.test.ts checks they match). */
  params?: z.ZodObject;
  /** The search parameters. */
  query?: z.ZodType;
  response: z.ZodType;
  status?: number;
};
