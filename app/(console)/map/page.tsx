import { consoleSearch, type RawSearchParams } from "@/lib/api";
import { serviceMap } from "@/lib/telemetry";
import { getAppContext } from "@/lib/context/app-context";
import { EmptyState } from "../../_components/empty-state";
import { rangeQuery } from "../../_features/services/format";
import { RangePicker } from "../../_features/services/range-picker";
import { MapControls } from "../../_features/map/map-controls";
import { MapLegend } from "../../_features/map/map-legend";
import { ServiceMapGraph } from "../../_features/map/service-map-graph";

export const dynamic = "force-dynamic";

export default async function MapPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const search = consoleSearch("/map", await searchParams).values;
  const range = rangeQuery(search.range, Date.now());
  const map = await serviceMap(getAppContext().db, { from: range.from, to: range.to, service: search.service }, Date.now());
  return (
    <>
      <h1>Service map</h1>
      <p className="lead">Which services publish to which queues, which workers consume them and what they call, with live rates, errors and latency.</p>
      <RangePicker basePath="/map" active={range.key} keep={{ service: search.service }} />
      <MapControls services={map.services} service={map.service} range={range.key} />
      {map.nodes.length === 0 ? (
        map.service !== null && map.services.length > 0 ? (
          <section className="panel empty"><h2>{map.service} sent no flows in this range</h2><p className="muted">Choose another service or a longer range.</p></section>
        ) : (
          <EmptyState title="No flows in this range yet">
            The map draws itself from spans: PRODUCER and CONSUMER spans with messaging.destination.name make queues, CLIENT spans with peer.service,
            server.address or db.system make dependencies. Nodes appear within seconds of the first spans.
          </EmptyState>
        )
      ) : (
        <>
          <ServiceMapGraph map={map} />
          <MapLegend />
        </>
      )}
    </>
  );
}
