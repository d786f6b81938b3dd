// The key to the service map's shapes and colours.
import { KIND_FILL, SIGNAL_COLOUR, SLO_COLOUR } from "./map-format";

const swatch = (fill: string, stroke = "#adb5bd", round = false) => (
  <svg width="18" height="12" aria-hidden="true" style={{ verticalAlign: "middle", marginRight: 4 }}>
    <rect x="1" y="1" width="16" height="10" rx={round ? 5 : 2} fill={fill} stroke={stroke} strokeWidth={2} />
  </svg>
);

export function MapLegend() {
  return (
    <section className="panel" aria-label="Legend" style={{ fontSize: 13 }}>
      <div className="row" style={{ alignItems: "center", gap: 18 }}>
        <span>{swatch(KIND_FILL.service)}service (rate · errors · p95)</span>
        <span>{swatch(KIND_FILL.queue, "#adb5bd", true)}queue (arrival vs completion, backlog change over the range)</span>
        <span>{swatch(KIND_FILL.dependency)}dependency (calls · errors · mean)</span>
        <span>{swatch("#fff", SIGNAL_COLOUR.critical)}critical signal</span>
        <span>{swatch("#fff", SIGNAL_COLOUR.warning)}warning signal</span>
        <span>SLO: <span style={{ color: SLO_COLOUR.ok }}>●</span> ok <span style={{ color: SLO_COLOUR.firing }}>●</span> firing <span style={{ color: SLO_COLOUR["no data"] }}>●</span> no data</span>
      </div>
      <p className="muted" style={{ margin: "8px 0 0" }}>Edges show the rate of messages or calls; a coloured node or edge links to its open signal. Click a service to open its page.</p>
    </section>
  );
}
