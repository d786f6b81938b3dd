import { EmptyState } from "../../_components/empty-state";

export default function Page() {
  return (
    <>
      <h1>SLOs</h1>
      <p className="lead">Service level objectives and their error budgets.</p>
      <EmptyState title="No SLOs defined yet">
        Each SLO will appear here with its SLI (availability, latency, job completion, queue wait or metric ratio), objective, error budget remaining and burn rates over the alerting windows. SLOs can be defined here, through the API (/api/v1/slos) or as OpenSLO YAML with tailguard apply.
      </EmptyState>
    </>
  );
}
