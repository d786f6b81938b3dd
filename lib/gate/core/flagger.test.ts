import { describe, expect, it } from "vitest";
import { flaggerPayloadToGateInput, FlaggerWebhookPayload } from "./flagger";
import { GateRequest } from "./requests";

const payload = (metadata: Record<string, string>) => ({ name: "podinfo", namespace: "test", phase: "Progressing", checksum: "85d557f47b", metadata });

describe("flaggerPayloadToGateInput", () => {
  it.each([
    [{ service: "checkout", version: "1.4.2" }, { service: "checkout", version: "1.4.2", baseline: {} }],
    [{ service: "checkout", version: "1.4.2", baseline: "1.4.1" }, { service: "checkout", version: "1.4.2", baseline: { version: "1.4.1" } }],
    [{ service: "checkout", version: "1.4.2", policy: "strict" }, { service: "checkout", version: "1.4.2", baseline: {}, policy: "strict" }],
  ])("maps metadata %j to %j, a valid canary question", (metadata, expected) => {
    const input = flaggerPayloadToGateInput(FlaggerWebhookPayload.parse(payload(metadata)));
    expect(input).toEqual(expected);
    expect(GateRequest.safeParse(input).success).toBe(true);
  });

  it.each([
    [{ name: "podinfo", namespace: "test", phase: "Progressing" }, "metadata"],
    [payload({ version: "1.4.2" }), "service"],
    [payload({ service: "checkout" }), "version"],
    [payload({ service: "checkout", version: "1.4.2", cmd: "hey" }), "cmd"],
  ])("refuses %j (naming %s)", (body, field) => {
    const r = FlaggerWebhookPayload.safeParse(body);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain(field);
  });
});
