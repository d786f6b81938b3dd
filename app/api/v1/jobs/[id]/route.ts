import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { getJob } from "@/lib/telemetry/jobs";

export const GET = route(api.getJob, ({ params, app }) => getJob(app.db.sql, params.id));
