// The public entry of this domain for app/'s server code (pages, route handlers, server components); client components use ./browser.ts. Inside lib/, import the file itself, never this entry.
export type { SignalView } from "./core/signal-view";
export { DETECTOR_LABELS, THRESHOLD_META } from "./core/threshold-meta";
export { DEFAULT_THRESHOLDS, DETECTORS, explainThresholds, type ThresholdConfig, thresholdIssueMessage, type ThresholdOrigin, type ThresholdOverrides, ThresholdOverridesSchema } from "./core/thresholds";
export { getSignal, listSignals, signalsForJob } from "./store/signals";
export { describeThresholds, loadConsoleThresholds, saveConsoleThresholds, saveScopeThresholds } from "./store/thresholds";
