// The browser-safe entry of this domain, for app/'s client components: tests/architecture.test.ts checks it reaches nothing server-only.
export type { GateOverrideView } from "./core/requests";
