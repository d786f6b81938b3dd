// Flagger's webhook payload and its mapping to a canary gate question (Flagger sends metadata as strings only).
import { z } from "zod";
import { ServiceName } from "../../telemetry/core/otlp/service-name";

const Text = (max: number) => z.string().min(1).max(max);

/** What Flagger POSTs to a webhook (`CanaryWebhookPayload`): the Canary's name, namespace, phase, checksum and the hook's metadata. */
export const FlaggerWebhookPayload = z
  .object({
    name: Text(253).describe("The Canary's name"),
    namespace: Text(253).describe("The Canary's namespace"),
    phase: Text(40).describe("The Canary's phase (Progressing, Promoting, …)"),
    checksum: z.string().max(200).optional().describe("Flagger's checksum of the canary revision"),
    metadata: z
      .object({
        service: ServiceName.describe("The service.name the candidate reports"),
        version: Text(200).describe("The candidate's service.version"),
        baseline: Text(200).optional().describe("The baseline's service.version; omitted: the version that served most traffic before the candidate"),
        policy: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "policy must be a lowercase slug").optional(),
      })
      .strict()
      .describe("The webhook's `metadata` from the Canary's analysis"),
  })
  .strict();
export type FlaggerWebhookPayload = z.infer<typeof FlaggerWebhookPayload>;

/** The gate question a Flagger webhook asks: a canary comparison of `metadata.version` against its baseline. */
export function flaggerPayloadToGateInput(payload: FlaggerWebhookPayload): Record<string, unknown> {
  const { service, version, baseline, policy } = payload.metadata;
  return { service, version, baseline: baseline === undefined ? {} : { version: baseline }, ...(policy === undefined ? {} : { policy }) };
}
