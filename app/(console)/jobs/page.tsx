import Link from "next/link";
import { consoleSearch, type RawSearchParams } from "@/lib/api";
import { listJobs, type JobPage } from "@/lib/telemetry";
import { getAppContext } from "@/lib/context/app-context";
import { DomainError } from "@/lib/errors";
import { EmptyState } from "../../_components/empty-state";
import { JobFilters } from "../../_features/jobs/job-filters";
import { JobSearch } from "../../_features/jobs/job-search";
import { JobsTable } from "../../_features/jobs/jobs-table";
import { hasFilters, jobSearch, jobsHref } from "../../_features/jobs/search-params";

export const dynamic = "force-dynamic";

export default async function Page({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const search = jobSearch(consoleSearch("/jobs", await searchParams).values, Date.now());
  let problem = search.problem;
  let page: JobPage = { jobs: [], nextCursor: null };
  if (search.filter) {
    try {
      page = await listJobs(getAppContext().db.sql, search.filter);
    } catch (err) {
      if (!(err instanceof DomainError && err.kind === "invalid")) throw err;
      problem = err.message;
    }
  }
  const filtered = hasFilters(search.values) || search.cursor !== undefined;
  return (
    <>
      <h1>Jobs</h1>
      <p className="lead">Follow one asynchronous job across API, queue, workers and database by its job ID.</p>
      <JobSearch />
      {!filtered && !problem && page.jobs.length === 0 ? (
        <EmptyState title="No jobs seen yet">
          Jobs appear when spans carry a job.id attribute. Each job shows every attempt across traces: accept, enqueue, queue wait, processing and result, with end-to-end time and status.
        </EmptyState>
      ) : (
        <>
          <JobFilters values={search.values} services={[...new Set(page.jobs.flatMap((j) => j.services))].sort()} />
          <section className="panel" aria-label="Job list">
            {problem && <p className="error" role="alert">{problem}</p>}
            {!problem && page.jobs.length === 0 ? <p className="muted">No jobs match these filters.</p> : <JobsTable jobs={page.jobs} />}
            <div className="row" style={{ marginTop: 12, justifyContent: "flex-end" }}>
              {search.cursor && <Link className="button" href={jobsHref(search.values)}>First page</Link>}
              {page.nextCursor && <Link className="button" href={jobsHref(search.values, page.nextCursor)}>Next page →</Link>}
            </div>
          </section>
          <p className="muted" style={{ fontSize: 13 }}>
            End-to-end runs from a job&apos;s first span (the API&apos;s accept) to its final result; time in queue adds up, over attempts, each message&apos;s wait from its publish to its consumer&apos;s start; time in workers adds up the consumer spans.
          </p>
        </>
      )}
    </>
  );
}
