import Link from "next/link";
import { notFound } from "next/navigation";
import { consoleParam, consoleSearch, type RawSearchParams } from "@/lib/api";
import { serviceDetail } from "@/lib/telemetry";
import { DomainError } from "@/lib/errors";
import { getAppContext } from "@/lib/context/app-context";
import { errorLabel, msLabel, rateLabel, rangeQuery } from "../../../_features/services/format";
import { RangePicker } from "../../../_features/services/range-picker";
import { ServiceCharts } from "../../../_features/services/service-charts";
import { OpenSignals } from "../../../_features/signals/open-signals";

export const dynamic = "force-dynamic";

export default async function ServicePage({ params, searchParams }: { params: Promise<{ name: string }>; searchParams: Promise<RawSearchParams> }) {
  const name = consoleParam((await params).name);
  if (name === null) notFound();
  const range = rangeQuery(consoleSearch("/services/[name]", await searchParams).values.range, Date.now());
  const detail = await serviceDetail(getAppContext().db.sql, name, range, Date.now()).catch((err: unknown) => {
    if (err instanceof DomainError && err.kind === "not_found") notFound();
    throw err;
  });
  const s = detail.service;
  return (
    <>
      <h1>{s.name}</h1>
      <p className="lead">
        {detail.basis === "entry" ? "Requests are SERVER and CONSUMER spans" : "This service has no SERVER or CONSUMER spans; figures count all its spans"} ·
        {detail.stepMinutes > 1 ? ` one point per ${detail.stepMinutes} minutes` : " one point per minute"} · last seen {s.lastSeen ? new Date(s.lastSeen).toLocaleString() : "never"} ·{" "}
        <Link href={`/signals/thresholds?service=${encodeURIComponent(s.name)}`}>detection thresholds</Link> ·{" "}
        <Link href={`/map?service=${encodeURIComponent(s.name)}&range=${range.key}`}>Service map</Link>
      </p>
      <RangePicker basePath={`/services/${encodeURIComponent(s.name)}`} active={range.key} />
      <div className="grid">
        <div className="panel stat"><div className="label">Request rate</div><div className="value">{rateLabel(s.requestRatePerS)}</div></div>
        <div className="panel stat"><div className="label">Error ratio</div><div className="value">{errorLabel(s.errorRatio)}</div></div>
        <div className="panel stat"><div className="label">p50 / p95 / p99</div><div className="value">{msLabel(s.p50Ms)} / {msLabel(s.p95Ms)} / {msLabel(s.p99Ms)}</div></div>
      </div>
      <OpenSignals service={s.name} />
      <ServiceCharts series={detail.series} />
    </>
  );
}
