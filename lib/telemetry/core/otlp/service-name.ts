// The one rule for a service.name that a person or a config file gives Tailguard (API queries and bodies, console
// URLs, detection thresholds, gate requests and overrides, webhook filters). It is about shape only: the API edge
// adds the storable-text check (lib/api/core/fields.ts `ServiceNameText`; route.ts checks every body first).
import { z } from "zod";

/** A typed service.name: surrounding spaces trimmed, then 1–255 characters. */
export const ServiceName = z.string().trim().min(1, "name a service").max(255);

/**
 * A service.name that keys a stored document (threshold overrides by service): the same rule, but untrimmed names are
 * refused rather than trimmed, since trimming could silently merge two keys.
 */
export const ServiceNameKey = z.string().refine((s) => s === s.trim(), "a service name has no leading or trailing spaces").pipe(ServiceName);
