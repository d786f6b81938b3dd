import { api, route } from "@/lib/api";
import { getStatus } from "@/lib/runtime/status";

export const GET = route(api.status, ({ req, app }) => getStatus(app, req.headers.get("host")));
