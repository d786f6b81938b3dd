import { api, route } from "@/lib/api";
import { listJobs } from "@/lib/telemetry";

export const GET = route(api.listJobs, ({ query, app }) => listJobs(app.db.sql, query));
