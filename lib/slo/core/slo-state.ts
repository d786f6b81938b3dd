// The one-word state the console shows for an SLO: firing while any alert fires, "no data" before its first
// evaluation with events, else ok. The overview, the Faro card and the service map all use it.
export type SloState = "firing" | "no data" | "ok";

export function sloState(s: { status: { noData: boolean } | null; alerts: readonly { status: string }[] }): SloState {
  if (s.alerts.some((a) => a.status === "firing")) return "firing";
  return !s.status || s.status.noData ? "no data" : "ok";
}
