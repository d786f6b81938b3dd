// The browser-safe entry of this domain, for app/'s client components: tests/architecture.test.ts checks it reaches nothing server-only.
export type { SignalView } from "./core/signal-view";
export { DETECTOR_LABELS, THRESHOLD_META } from "./core/threshold-meta";
export { DEFAULT_THRESHOLDS, DETECTORS, explainThresholds, type ThresholdConfig, thresholdIssueMessage, type ThresholdOrigin, type ThresholdOverrides, ThresholdOverridesSchema } from "./core/thresholds";
