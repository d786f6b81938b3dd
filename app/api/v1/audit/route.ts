import { api, route } from "@/lib/api";
import { listAudit } from "@/lib/audit/audit";

export const GET = route(api.listAudit, async ({ query, app }) => {
  const entries = await listAudit(app.db.prisma, { limit: query.limit, before: query.before });
  return { entries, nextBefore: entries.length === query.limit ? (entries.at(-1)?.id ?? null) : null };
});
