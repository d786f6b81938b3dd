"use client";
// OpenSLO YAML editor: preview the diff against the stored SLOs, then apply it (as `tailguard apply` does).
import { useRouter } from "next/navigation";
import { useState } from "react";
import { formatDiff, hasChanges, type DiffSummary } from "@/lib/slo/browser";
import { apiCall } from "../../_components/api-client";

const EXAMPLE = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
spec:
  service: checkout
  description: Checkout answers without server errors
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  objectives:
    - target: 0.999
  indicator:
    metadata:
      name: checkout-availability-sli
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: tailguard
            spec: { sli: availability, events: good, selector: { service: checkout, spanKind: server } }
        total:
          metricSource:
            type: tailguard
            spec: { sli: availability, events: total, selector: { service: checkout, spanKind: server } }
`;

export function OpenSloEditor() {
  const [yaml, setYaml] = useState(EXAMPLE);
  const [plan, setPlan] = useState<DiffSummary | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const router = useRouter();

  async function send(dryRun: boolean) {
    setBusy(true);
    setMessage(null);
    const r = await apiCall("applySlos", { body: { yaml, dryRun } });
    setBusy(false);
    if (!r.ok) return setMessage(r.message);
    setPlan(r.data.diff);
    if (r.data.applied) {
      setMessage("applied");
      router.refresh();
    }
  }

  return (
    <div>
      <textarea aria-label="OpenSLO YAML" value={yaml} onChange={(e) => { setYaml(e.target.value); setPlan(null); }} spellCheck={false} />
      <div className="row" style={{ marginTop: 10 }}>
        <button onClick={() => send(true)} disabled={busy}>Preview changes</button>
        <button className="primary" onClick={() => send(false)} disabled={busy || !plan || !hasChanges(plan, { prune: false })}>Apply</button>
      </div>
      {plan && <pre data-testid="apply-diff">{formatDiff(plan, { prune: false }).join("\n")}</pre>}
      {message && <p className={message === "applied" ? "muted" : "error"} role="status">{message}</p>}
    </div>
  );
}
