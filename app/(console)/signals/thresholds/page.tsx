import Link from "next/link";
import { hasScope } from "@/lib/auth";
import { consoleSearch, type RawSearchParams } from "@/lib/api";
import { describeThresholds, loadConsoleThresholds } from "@/lib/signals";
import { servicesOverview } from "@/lib/telemetry";
import { getAppContext } from "@/lib/context/app-context";
import { ThresholdsEditor } from "../../../_features/signals/thresholds-editor";
import { requireUser } from "../../../_lib/session";

export const dynamic = "force-dynamic";

export default async function Page({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const user = await requireUser();
  const app = getAppContext();
  const service = consoleSearch("/signals/thresholds", await searchParams).values.service ?? null;
  const now = Date.now();
  const [view, { services }] = await Promise.all([
    loadConsoleThresholds(app.db).then((stored) => describeThresholds(stored, app.config.TAILGUARD_DETECTION_THRESHOLDS, service)),
    servicesOverview(app.db.sql, { from: new Date(now - 24 * 3600_000).toISOString(), to: new Date(now).toISOString() }, now),
  ]);
  const known = [...new Set([...services.map((s) => s.name), ...view.services])].sort();
  return (
    <>
      <p className="muted"><Link href="/signals">← Signals</Link></p>
      <h1>Detection thresholds</h1>
      <p className="lead">
        The limits detectors judge each service by. Built-in defaults suit a typical queue-and-worker system; override them for every service or for one,
        here or with <code>TAILGUARD_DETECTION_THRESHOLDS</code>. A service&apos;s own override beats an all-services one, and within a scope the console beats the environment.
      </p>
      <ThresholdsEditor key={service ?? "*"} initial={view} knownServices={known} canEdit={hasScope(user, "write")} />
    </>
  );
}
