import { api, route } from "@/lib/api";
import { getJob } from "@/lib/telemetry";

export const GET = route(api.getJob, ({ params, app }) => getJob(app.db.sql, params.id));
