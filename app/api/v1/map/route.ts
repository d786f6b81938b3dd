import { api, route } from "@/lib/api";
import { serviceMap } from "@/lib/telemetry";

export const GET = route(api.getServiceMap, ({ query, app }) => serviceMap(app.db, query, Date.now()));
