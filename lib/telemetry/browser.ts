// The browser-safe entry of this domain, for app/'s client components: tests/architecture.test.ts checks it reaches nothing server-only.
export type { JobListFilter } from "./core/views/job-list-query";
export { layoutJobTimeline, type TimelineRow } from "./core/views/job-timeline";
export type { Trace, TraceLog, TraceSpan } from "./core/views/trace-view";
export { layoutWaterfall } from "./core/views/waterfall";
export type { JobDetail, JobSpan } from "./query/jobs";
export { type MapEdge, type MapNode, type MapNodeKind, type MapSignalRef, type MapSloRef, NODE_SIZE } from "./core/views/service-map";
export type { ServiceMapView } from "./core/views/view-schemas";
export type { ServicePoint } from "./query/services";
