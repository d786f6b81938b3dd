import { notFound } from "next/navigation";
import { consoleParam } from "@/lib/api";
import { getTrace } from "@/lib/telemetry";
import { DomainError } from "@/lib/errors";
import { getAppContext } from "@/lib/context/app-context";
import { nsLabel } from "../../../_features/services/format";
import { Waterfall } from "../../../_features/traces/waterfall";

export const dynamic = "force-dynamic";

export default async function TracePage({ params }: { params: Promise<{ traceId: string }> }) {
  const traceId = consoleParam((await params).traceId);
  if (traceId === null) notFound();
  const trace = await getTrace(getAppContext().db.sql, traceId).catch((err: unknown) => {
    if (err instanceof DomainError && (err.kind === "not_found" || err.kind === "invalid")) notFound();
    throw err;
  });
  return (
    <>
      <h1>Trace <span className="mono">{trace.traceId}</span></h1>
      <p className="lead">
        {trace.spans.length} spans across {trace.services.join(", ")} · {nsLabel(trace.durationNs)} · started {new Date(Number(BigInt(trace.startTimeUnixNano) / 1_000_000n)).toLocaleString()}
      </p>
      <Waterfall trace={trace} />
    </>
  );
}
