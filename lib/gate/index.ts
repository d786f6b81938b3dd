// The public entry of this domain for app/'s server code (pages, route handlers, server components); client components use ./browser.ts. Inside lib/, import the file itself, never this entry.
export type { GateOverrideView } from "./core/requests";
export { evaluateGate, listGateEvaluations, loadPolicy, savePolicy } from "./store/evaluate";
export { createGateOverride, listGateOverrides, revokeGateOverride } from "./store/overrides";
