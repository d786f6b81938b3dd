// The public entry of this domain for app/'s server code (pages, route handlers, server components); client components use ./browser.ts. Inside lib/, import the file itself, never this entry.
export type { JobListFilter } from "./core/views/job-list-query";
export { layoutJobTimeline, type TimelineRow } from "./core/views/job-timeline";
export type { Trace, TraceLog, TraceSpan } from "./core/views/trace-view";
export { layoutWaterfall } from "./core/views/waterfall";
export { getJob, type JobDetail, type JobLog, type JobPage, type JobSpan, type JobView, listJobs } from "./query/jobs";
export type { MapEdge, MapNode, MapNodeKind, MapSignalRef, MapSloRef } from "./core/views/service-map";
export type { ServiceMapView } from "./core/views/view-schemas";
export { serviceMap } from "./query/service-map";
export type { ServicePoint, ServiceSummary } from "./query/services";
export { getTrace } from "./query/trace";
export { metricOverview, serviceDetail, servicesOverview } from "./query/views";
