// The public entry of this domain for app/'s server code (pages, route handlers, server components); client components use ./browser.ts. Inside lib/, import the file itself, never this entry.
export { definitionObjective, parseSloDefinition, type SloDefinition } from "./core/definition";
export { type DiffSummary, formatDiff, hasChanges } from "./core/format-diff";
export { objectiveRatio } from "./core/objective";
export { importOpenSlo } from "./core/openslo-import";
export { exportOpenSlo } from "./core/openslo";
export { type AlertEventRow, type FiringAlert, listFiringAlerts, listRecentAlertEvents } from "./store/alert-feed";
export { recentBurners } from "./store/burners";
export { requestRebuild } from "./store/rebuild";
export { getSloDetail, listSloOverview, rebuildView, type SloOverview, sloSparklines } from "./store/status";
export { applySlos, createSlo, deleteSlo, getSlo, listSlos, replaceSlo, validateDefinition } from "./store/slos";
export { sloState, type SloState } from "./core/slo-state";
