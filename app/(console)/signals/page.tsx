import { EmptyState } from "../../_components/empty-state";

export default function Page() {
  return (
    <>
      <h1>Signals</h1>
      <p className="lead">Saturation and retry storms, detected before they breach an SLO.</p>
      <EmptyState title="No signals">
        When a queue's arrival rate outruns its completion rate, or retries amplify load on a failing dependency, a signal opens here with its evidence, expected impact and a capacity recommendation.
      </EmptyState>
    </>
  );
}
