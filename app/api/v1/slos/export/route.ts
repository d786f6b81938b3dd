import { api, route } from "@/lib/api";
import { exportOpenSlo, listSlos } from "@/lib/slo";

export const GET = route(api.exportSlos, async ({ app }) => {
  const yaml = exportOpenSlo((await listSlos(app.db)).map((s) => s.definition), { style: "inline", services: true });
  return new Response(yaml, { headers: { "content-type": "application/yaml; charset=utf-8", "content-disposition": 'attachment; filename="slos.yaml"' } });
});
