// What a service function receives: the database, who is acting, and the request it serves.
import type { Database } from "../db/client";
import type { Actor } from "../auth/core/scopes";

export type ServiceContext = { db: Database; actor: Actor; requestId?: string };
