import { EmptyState } from "../../_components/empty-state";

export default function Page() {
  return (
    <>
      <h1>Release gates</h1>
      <p className="lead">Ask Tailguard before promoting a build: pass, warn or fail, with reasons.</p>
      <EmptyState title="No gate evaluations yet">
        Each CI/CD request to the release-gating API appears here with its decision and the budgets, burn rates, alerts and signals that decided it. Gate requests need an API token with the gate scope.
      </EmptyState>
    </>
  );
}
