"use client";
// Rebuilding an SLO's rollups from stored telemetry: a button, and a progress bar while the engine works.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { apiCall } from "../../_components/api-client";

type Rebuild = { status: "pending" | "running" | "done" | "failed"; progressRatio: number; message: string; finishedAt: string | null };

export function RebuildPanel({ name, initial, canWrite }: { name: string; initial: Rebuild | null; canWrite: boolean }) {
  const [rebuild, setRebuild] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const router = useRouter();
  const active = rebuild?.status === "pending" || rebuild?.status === "running";

  useEffect(() => {
    if (!active) return;
    const timer = setInterval(async () => {
      const r = await apiCall("sloStatus", { params: { name } });
      if (!r.ok) return setError(r.message);
      setRebuild(r.data.rebuild);
      if (r.data.rebuild?.status === "done") router.refresh();
    }, 1500);
    return () => clearInterval(timer);
  }, [active, name, router]);

  async function start() {
    setError(null);
    const r = await apiCall("rebuildSlo", { params: { name } });
    if (!r.ok) return setError(r.message);
    setRebuild(r.data.rebuild);
  }

  return (
    <section className="panel" aria-label="Rebuild from raw data">
      <div className="row" style={{ justifyContent: "space-between", alignItems: "center" }}>
        <div>
          <strong>Rollups from raw telemetry</strong>
          <div className="muted" style={{ fontSize: 13 }} role="status">
            {!rebuild && "Computed at ingest. Rebuild after changing the SLI to recompute the days of raw data still stored."}
            {rebuild?.status === "pending" && "Rebuild queued…"}
            {rebuild?.status === "running" && `Rebuilding: ${rebuild.message || "starting"} (${Math.round(rebuild.progressRatio * 100)} %)`}
            {rebuild?.status === "done" && `Rebuilt ${rebuild.finishedAt ? new Date(rebuild.finishedAt).toLocaleString() : ""}: ${rebuild.message}`}
            {rebuild?.status === "failed" && `Rebuild failed: ${rebuild.message}`}
          </div>
          {active && (
            <div style={{ width: 240, height: 6, background: "#edf0f5", borderRadius: 3, marginTop: 6 }}>
              <div style={{ width: `${Math.round((rebuild?.progressRatio ?? 0) * 100)}%`, height: 6, background: "var(--accent)", borderRadius: 3 }} />
            </div>
          )}
        </div>
        {canWrite && <button onClick={start} disabled={active}>{active ? "Rebuilding…" : "Rebuild from raw data"}</button>}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  );
}
