// Builds the Alertmanager webhook v4 body (what existing Alertmanager receivers parse), with an
// extra top-level `slo` object that such receivers ignore.
import { createHash } from "node:crypto";
import type { SloSnapshot, WebhookEvent } from "./events";

/** Alertmanager's "not ended yet" endsAt. */
export const ZERO_TIME = "0001-01-01T00:00:00Z";

export type AlertmanagerAlert = {
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
};

export type AlertmanagerPayload = {
  version: "4";
  groupKey: string;
  truncatedAlerts: number;
  status: "firing" | "resolved";
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AlertmanagerAlert[];
  slo?: SloSnapshot & { links: { console: string; job?: string } };
};

/** 16 hex characters over the sorted labels, so the same alert keeps its fingerprint. */
export function labelsFingerprint(labels: Record<string, string>): string {
  const text = Object.keys(labels)
    .sort()
    .map((k) => `${k}\u0000${labels[k]}`)
    .join("\u0001");
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

function groupKeyOf(groupLabels: Record<string, string>): string {
  const pairs = Object.keys(groupLabels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(groupLabels[k])}`);
  return `{}:{${pairs.join(", ")}}`;
}

export function buildAlertmanagerPayload(event: WebhookEvent, options: { receiver: string; externalUrl: string; links: { console: string; job?: string } }): AlertmanagerPayload {
  const labels: Record<string, string> = { alertname: event.name, severity: event.severity, ...event.labels };
  if (event.slo) labels.slo = event.slo.name;
  if (event.service) labels.service = event.service;
  const annotations = { summary: event.summary, description: event.description };
  const groupLabels: Record<string, string> = { alertname: event.name, ...(event.slo ? { slo: event.slo.name } : {}) };
  const alert: AlertmanagerAlert = {
    status: event.status,
    labels,
    annotations,
    startsAt: event.startsAt,
    endsAt: event.status === "resolved" ? (event.endsAt ?? event.occurredAt) : ZERO_TIME,
    generatorURL: options.links.console,
    fingerprint: labelsFingerprint(labels),
  };
  return {
    version: "4",
    groupKey: groupKeyOf(groupLabels),
    truncatedAlerts: 0,
    status: event.status,
    receiver: options.receiver,
    groupLabels,
    // One alert per message, so every label and annotation is common to the group.
    commonLabels: { ...labels },
    commonAnnotations: { ...annotations },
    externalURL: options.externalUrl,
    alerts: [alert],
    ...(event.slo ? { slo: { ...event.slo, links: options.links } } : {}),
  };
}
