import { listGateEvaluations, listGateOverrides } from "@/lib/gate";
import { getAppContext } from "@/lib/context/app-context";
import { EmptyState } from "../../_components/empty-state";
import { OverridesPanel } from "../../_features/gates/overrides-panel";
import { currentUser, requestHost } from "../../_lib/session";

const BADGE: Record<string, string> = { pass: "ok", warn: "warn", inconclusive: "warn", fail: "bad" };

export default async function GatesPage() {
  const app = getAppContext();
  const [evaluations, overrides, user] = await Promise.all([listGateEvaluations(app.db, { limit: 100 }), listGateOverrides(app.db), currentUser()]);
  const base = app.config.TAILGUARD_PUBLIC_URL ?? `http://${(await requestHost()) ?? "localhost:3000"}`;
  return (
    <>
      <h1>Release gates</h1>
      <p className="lead">Ask Tailguard before promoting a build: pass, warn, inconclusive or fail, with reasons.</p>
      {evaluations.length === 0 ? (
        <EmptyState title="No gate evaluations yet">
          Each CI/CD request to the release-gating API appears here with its decision and the budgets, burn rates, alerts and signals that decided it.
          Gate requests need an API token with the gate scope (Settings → API tokens).
        </EmptyState>
      ) : (
        <section className="panel">
          <table>
            <thead><tr><th>When</th><th>Decision</th><th>Services</th><th>Version</th><th>Policy</th><th>Reasons</th></tr></thead>
            <tbody>
              {evaluations.map((e) => (
                <tr key={e.evaluationId} data-testid="gate-row">
                  <td>{new Date(e.evaluatedAt).toLocaleString()}</td>
                  <td><span className={`badge ${BADGE[e.decision] ?? ""}`}>{e.decision}</span></td>
                  <td>{e.services.join(", ") || "all"}</td>
                  <td className="mono">{e.version ?? "–"}</td>
                  <td>{e.policy}</td>
                  <td>
                    <ul style={{ margin: 0, paddingLeft: 16 }}>
                      {e.reasons.map((r, i) => <li key={i}><span className={`badge ${BADGE[r.level] ?? ""}`}>{r.level}</span> {r.message}</li>)}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <OverridesPanel overrides={overrides} canManage={user?.role === "admin"} />
      <section className="panel">
        <h2 style={{ marginTop: 0 }}>Ask the gate</h2>
        <p className="muted">curl (exit code follows the decision with <code>mode=status</code>):</p>
        <pre>{`curl --fail -X POST "${base}/api/v1/gates/evaluate?mode=status" \\
  -H "Authorization: Bearer $TAILGUARD_GATE_TOKEN" -H "Content-Type: application/json" \\
  -H "Idempotency-Key: $CI_PIPELINE_ID-checkout" \\
  -d '{"service": "checkout", "version": "1.4.2"}'`}</pre>
        <p className="muted">GitHub Actions (writes a summary table; exit 1 on fail, 2 on inconclusive):</p>
        <pre>{`- name: Release gate
  run: npx tsx bin/tailguard.ts gate --service checkout --version \${{ github.sha }}
  env:
    TAILGUARD_URL: ${base}
    TAILGUARD_TOKEN: \${{ secrets.TAILGUARD_GATE_TOKEN }}`}</pre>
        <p className="muted">Argo Rollouts AnalysisTemplate (web provider; 200 for every decision):</p>
        <pre>{`apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: { name: tailguard-gate }
spec:
  metrics:
    - name: tailguard
      successCondition: result == "pass"
      failureLimit: 0
      provider:
        web:
          method: POST
          url: ${base}/api/v1/gates/evaluate
          headers:
            - { key: Authorization, value: "Bearer {{args.token}}" }
            - { key: Content-Type, value: application/json }
          body: '{"service": "checkout", "version": "{{args.version}}"}'
          jsonPath: "{$.decision}"`}</pre>
      </section>
    </>
  );
}
