import { EmptyState } from "../../_components/empty-state";

export default function Page() {
  return (
    <>
      <h1>Jobs</h1>
      <p className="lead">Follow one asynchronous job across API, queue, workers and database by its job ID.</p>
      <EmptyState title="No jobs seen yet">
        Jobs appear when spans carry a job.id attribute. Each job shows every attempt across traces: accept, enqueue, queue wait, processing and result, with end-to-end time and status.
      </EmptyState>
    </>
  );
}
