// Creates the console's built-in SLOs on first start, once: an admin who deletes one keeps it deleted.
// Only when the console reports to this server's own receiver; otherwise they would never see data.
import type { ServiceContext } from "../../context/service-context";
import type { Config } from "../../config/env";
import { DomainError } from "../../errors";
import { createSlo } from "../../slo/store/slos";
import { consoleSloDefinitions } from "../core/console-slos";

const MARKER = "console_slos_installed";

export type InstallOutcome = "installed" | "already installed" | "not reporting here";

export async function installConsoleSlos(svc: ServiceContext, config: Pick<Config, "TAILGUARD_FARO_URL">): Promise<InstallOutcome> {
  if (config.TAILGUARD_FARO_URL !== undefined) return "not reporting here";
  if (await svc.db.prisma.setting.findUnique({ where: { key: MARKER } })) return "already installed";
  for (const definition of consoleSloDefinitions()) {
    try {
      await createSlo(svc, definition);
    } catch (err) {
      // Another replica starting at the same moment, or an SLO of that name already there: either way it exists.
      if (!(err instanceof DomainError && err.kind === "conflict")) throw err;
    }
  }
  await svc.db.prisma.setting.upsert({ where: { key: MARKER }, create: { key: MARKER, value: new Date().toISOString() }, update: {} });
  return "installed";
}
