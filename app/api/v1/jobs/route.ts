import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { listJobs } from "@/lib/telemetry/jobs";

export const GET = route(api.listJobs, ({ query, app }) => listJobs(app.db.sql, query));
