import { api } from "@/lib/api/contract";
import { route } from "@/lib/http/route";
import { getStatus } from "@/lib/runtime/status";

export const GET = route(api.status, ({ req, app }) => getStatus(app, req.headers.get("host")));
