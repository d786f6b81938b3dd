import { EmptyState } from "../../_components/empty-state";

export default function Page() {
  return (
    <>
      <h1>Services</h1>
      <p className="lead">Every service that sends telemetry, with its request rate, errors and latency.</p>
      <EmptyState title="No services have sent telemetry yet">
        Each service appears here as soon as its first span arrives, named by its service.name resource attribute, with request rate, error rate and p50/p95/p99 latency.
      </EmptyState>
    </>
  );
}
