// The public entry of this domain for app/'s server code (pages, route handlers, server components); client components use ./browser.ts. Inside lib/, import the file itself, never this entry.
export { faroClientConfig, type FaroClientConfig } from "./sdk/client-config";
export { PageViewTracker } from "./sdk/page-view-tracker";
export { FARO_COLLECT_PATH } from "./core/console-app";
export { routePattern } from "./core/route-pattern";
export { faroReceiverFor } from "./receive/faro-receiver";
export { consoleStatus, type ConsoleStatus } from "./store/console-status";
