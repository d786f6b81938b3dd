import Link from "next/link";
import { notFound } from "next/navigation";
import { consoleParam } from "@/lib/api";
import { getJob } from "@/lib/telemetry";
import { DomainError } from "@/lib/errors";
import { getAppContext } from "@/lib/context/app-context";
import { JobLogs } from "../../../_features/jobs/job-logs";
import { JobOverview } from "../../../_features/jobs/job-overview";
import { JobSearch } from "../../../_features/jobs/job-search";
import { JobTimeline } from "../../../_features/jobs/job-timeline";
import { JobSignals } from "../../../_features/signals/open-signals";

export const dynamic = "force-dynamic";

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const jobId = consoleParam((await params).id);
  if (jobId === null) notFound();
  const detail = await getJob(getAppContext().db.sql, jobId).catch((err: unknown) => {
    if (err instanceof DomainError && (err.kind === "not_found" || err.kind === "invalid")) return null;
    throw err;
  });
  if (detail === null) {
    return (
      <>
        <h1>Job <span className="mono">{jobId}</span></h1>
        <p className="lead"><Link href="/jobs">Jobs</Link></p>
        <section className="panel empty" role="status">
          <h2>No job with this ID has been seen</h2>
          <p className="muted">Job IDs match exactly, as sent in the job.id attribute. The job may also be older than the span retention.</p>
          <JobSearch />
        </section>
      </>
    );
  }
  return (
    <>
      <h1>Job <span className="mono">{detail.job.jobId}</span></h1>
      <p className="lead"><Link href="/jobs">Jobs</Link> · every span of every attempt, across {detail.job.traceIds.length === 1 ? "one trace" : `${detail.job.traceIds.length} traces`}</p>
      <JobOverview detail={detail} />
      <JobSignals jobId={detail.job.jobId} />
      <h2>Timeline</h2>
      <JobTimeline detail={detail} />
      <JobLogs logs={detail.logs} />
    </>
  );
}
