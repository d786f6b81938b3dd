import { consoleSearch, type RawSearchParams } from "@/lib/api";
import { servicesOverview } from "@/lib/telemetry";
import { getAppContext } from "@/lib/context/app-context";
import { EmptyState } from "../../_components/empty-state";
import { rangeQuery } from "../../_features/services/format";
import { RangePicker } from "../../_features/services/range-picker";
import { ServicesTable } from "../../_features/services/services-table";

export const dynamic = "force-dynamic";

export default async function Page({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const range = rangeQuery(consoleSearch("/services", await searchParams).values.range, Date.now());
  const { services } = await servicesOverview(getAppContext().db.sql, range, Date.now());
  return (
    <>
      <h1>Services</h1>
      <p className="lead">Every service that sends telemetry, with its request rate, errors and latency.</p>
      {services.length === 0 ? (
        <EmptyState title="No services have sent telemetry yet">
          Each service appears here as soon as its first span arrives, named by its service.name resource attribute, with request rate, error rate and p50/p95/p99 latency.
        </EmptyState>
      ) : (
        <>
          <RangePicker basePath="/services" active={range.key} />
          <ServicesTable services={services} />
          <p className="muted" style={{ fontSize: 13 }}>Requests are SERVER and CONSUMER spans (calls answered, messages processed); errors are spans with ERROR status or a 5xx answer.</p>
        </>
      )}
    </>
  );
}
