// The browser-safe entry of this domain, for app/'s client components: tests/architecture.test.ts checks it reaches nothing server-only.
export type { FaroClientConfig } from "./sdk/client-config";
export { PageViewTracker } from "./sdk/page-view-tracker";
export { routePattern } from "./core/route-pattern";
