// Names the console's self-monitoring shares between the browser, the Faro receiver and the built-in SLOs.

/** Faro `app.name` of the console, and so the `service.name` of its telemetry. */
export const CONSOLE_APP_NAME = "console";

/** Tailguard's own Faro-compatible receiver, on the console's origin. */
export const FARO_COLLECT_PATH = "/api/faro/collect";

/** The event the console's page-view tracker sends when a page view ends (see page-view-event.ts). */
export const PAGE_VIEW_EVENT = "page_view";
