import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../random/seeded";
import { encodeOtlpObject, traceCollector } from "./generated";
import type { NormaliseTracesOptions } from "./normalise-traces";
import { expectSamePaths } from "../../../../tests/fixtures/otlp-trace-paths";
import { BASE_UNIX_NANO } from "../../../../tests/fixtures/otlp-payloads";
import { messagesOf, parseWire, varint, WIRE, writeWire, type WireNode } from "../../../../tests/fixtures/otlp-wire";

type Json = Record<string, unknown>;
type Random = () => number;

const NOW = BASE_UNIX_NANO + 3_600_000_000_000n;
const KEYS = [
  "job.id", "job.attempt", "celery.task_id", "messaging.system", "messaging.operation", "messaging.operation.type", "messaging.destination.name",
  "messaging.destination", "messaging.message.id", "messaging.servicebus.message.delivery_count", "messaging.gcp_pubsub.message.delivery_attempt",
  "http.request.method", "http.method", "http.route", "http.response.status_code", "http.status_code", "service.name", "service.version",
  "__proto__", "constructor", "toString", "0", "17", "", "ключ", "emoji 🔑", "k".repeat(70), "exception.message",
];
const STRINGS = ["", "deliver", "process", "publish", "42", "-7", "007", "9007199254740993", "job-1", "POST", "/jobs", "naïve ✓", "𝄞", "\u0000", "\ud800", "x".repeat(300)];
const ID_LENGTHS = [16, 16, 16, 16, 8, 8, 8, 0, 4, 15, 17];

function picker(random: Random) {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const times = <T>(max: number, make: () => T): T[] => Array.from({ length: int(max + 1) }, make);
  return { int, pick, times, chance: (p: number) => random() < p };
}

function randomRequest(random: Random): Json {
  const { int, pick, times, chance } = picker(random);
  // A quarter of requests carry the odd values that the fast decoder leaves to the generated one.
  const oddRate = chance(0.25) ? 0.02 : 0;
  const id = (length = pick(ID_LENGTHS)) => (chance(0.05) ? Buffer.alloc(length) : Buffer.from(Array.from({ length }, () => int(256))));
  const long = (n: bigint) => ({ low: Number(BigInt.asUintN(32, n)), high: Number(BigInt.asUintN(32, n >> 32n)), unsigned: false });
  const time = () => long(chance(0.9) ? BASE_UNIX_NANO + BigInt(int(3_600_000_000)) * 1_000n : pick([0n, 946_684_799_999_999_999n, NOW + 2n * 86_400_000_000_000n, 2n ** 64n - 1n]));
  const anyValue = (depth: number): Json => {
    const r = random();
    if (r < 0.3 || depth > 3) return { stringValue: pick([...STRINGS, ...KEYS]) };
    if (r < 0.38) return { boolValue: chance(0.5) };
    if (r < 0.55) return { intValue: long(pick([0n, 1n, -1n, 42n, 2n ** 53n, 2n ** 53n - 1n, -(2n ** 53n), 2n ** 63n - 1n, -(2n ** 63n), BigInt(int(1e9))])) };
    if (r < 0.65) return { doubleValue: pick([0.5, -0, NaN, Infinity, -Infinity, 1e300, random()]) };
    if (r < 0.7) return { bytesValue: id(int(6)) };
    if (r < 0.8) return { arrayValue: { values: times(3, () => anyValue(depth + 1)) } };
    if (r < 0.9) return { kvlistValue: { values: times(3, () => keyValue(depth + 1)) } };
    if (chance(oddRate)) return deepValue(30 + int(6));
    return {};
  };
  const deepValue = (depth: number): Json => (depth === 0 ? { stringValue: "leaf" } : { arrayValue: { values: [deepValue(depth - 1)] } });
  const keyValue = (depth = 0): Json => (chance(0.03) ? {} : { key: pick(KEYS), value: anyValue(depth) });
  const attributes = () => (chance(0.01) ? Array.from({ length: 140 }, (_, i) => ({ key: `k${i}`, value: { intValue: i } })) : times(6, () => keyValue()));
  const maybe = (p: number, make: () => unknown) => (chance(p) ? make() : undefined);
  const span = (): Json => ({
    traceId: maybe(0.97, () => id(pick([32, 32, 32, 30]) / 2)),
    spanId: maybe(0.97, () => id()),
    traceState: maybe(0.2, () => pick(STRINGS)),
    parentSpanId: maybe(0.6, () => id()),
    name: maybe(0.9, () => pick(STRINGS)),
    kind: maybe(0.9, () => (chance(oddRate) ? pick([-1, 2 ** 31 - 1]) : int(8))),
    startTimeUnixNano: maybe(0.97, time),
    endTimeUnixNano: maybe(0.97, time),
    attributes: attributes(),
    droppedAttributesCount: maybe(0.3, () => int(5)),
    events: chance(0.02) ? Array.from({ length: 130 }, () => ({ name: "e" })) : times(3, () => ({ timeUnixNano: maybe(0.8, time), name: maybe(0.8, () => pick(["exception", "retry", ""])), attributes: attributes(), droppedAttributesCount: maybe(0.2, () => int(3)) })),
    droppedEventsCount: maybe(0.3, () => int(5)),
    links: times(3, () => ({ traceId: id(pick([16, 16, 1])), spanId: id(), traceState: maybe(0.2, () => "a=b"), attributes: attributes(), droppedAttributesCount: maybe(0.2, () => int(3)) })),
    droppedLinksCount: maybe(0.3, () => int(5)),
    status: maybe(0.7, () => ({ code: maybe(0.9, () => (chance(oddRate) ? -1 : int(4))), message: maybe(0.5, () => pick(STRINGS)) })),
  });
  return {
    resourceSpans: times(2, () => ({
      resource: maybe(0.9, () => ({ attributes: [...(chance(0.8) ? [{ key: "service.name", value: { stringValue: pick(["svc", "", "worker"]) } }] : []), ...attributes()], droppedAttributesCount: maybe(0.2, () => int(3)) })),
      schemaUrl: maybe(0.2, () => "https://opentelemetry.io/schemas/1.26.0"),
      scopeSpans: times(2, () => ({
        scope: maybe(0.8, () => ({ name: pick(STRINGS), version: maybe(0.5, () => "1.2.3"), attributes: maybe(0.2, attributes) })),
        schemaUrl: maybe(0.1, () => "x"),
        spans: times(4, span),
      })),
    })),
  };
}

function randomOptions(random: Random): NormaliseTracesOptions {
  const { pick, chance } = picker(random);
  return {
    nowUnixNano: chance(0.9) ? NOW : pick([BASE_UNIX_NANO, NOW + 10n ** 15n]),
    maxFutureSkewNs: chance(0.8) ? undefined : pick([0n, 1_000_000_000n]),
    jobIdKeys: chance(0.5) ? undefined : pick([["celery.task_id"], ["messaging.message.id", "__proto__"], []]),
    attributeCountLimit: chance(0.7) ? undefined : pick([0, 1, 3]),
    eventCountLimit: chance(0.8) ? undefined : pick([0, 1]),
    linkCountLimit: chance(0.8) ? undefined : pick([0, 1]),
    // Lengths that cut inside "𝄞" and "emoji 🔑" (half a surrogate pair), the 70- and 300-character values, and none.
    attributeValueLengthLimit: chance(0.5) ? undefined : pick([0, 1, 2, 7, 64, 100]),
    attributePerEventCountLimit: chance(0.9) ? undefined : pick([0, 1]),
    attributePerLinkCountLimit: chance(0.9) ? undefined : pick([0, 1]),
    resourceAttributeCountLimit: chance(0.9) ? undefined : pick([0, 1, 2]),
  };
}

/** Rewrites a parsed request the way lax or hostile encoders might, one change at a time. */
function mutateWire(nodes: WireNode[], random: Random): void {
  const { int, pick } = picker(random);
  const messages = messagesOf(nodes);
  const message = pick(messages);
  const at = int(message.length + 1);
  switch (int(9)) {
    case 0:
      message.sort(() => random() - 0.5);
      break;
    case 1:
      message.splice(at, 0, pick<WireNode>([{ field: 16 + int(100), wire: WIRE.VARINT, varint: BigInt(int(1e6)), padTo: 1 }, { field: 16 + int(100), wire: WIRE.I64, raw: [1, 2, 3, 4, 5, 6, 7, 8] }, { field: 16 + int(100), wire: WIRE.LEN, raw: [1, 2, 3] }, { field: 16 + int(100), wire: WIRE.I32, raw: [9, 9, 9, 9] }]));
      break;
    case 2:
      if (message.length > 0) message.splice(at, 0, structuredClone(pick(message)));
      break;
    case 3:
      if (message.length > 0) message.splice(int(message.length), 1);
      break;
    case 4: {
      const node = message.find((n) => "varint" in n);
      if (node && "varint" in node) node.varint = pick([-1n, 2n ** 31n, 2n ** 32n + 1n, 2n ** 63n, 0n, 7n]);
      break;
    }
    case 5: {
      const node = message.find((n) => "varint" in n);
      if (node && "varint" in node) node.padTo = pick([2, 5, 6, 10]);
      break;
    }
    case 6:
      if (message.length > 0) pick(message).wire = pick([0, 1, 2, 3, 4, 5, 6, 7]);
      break;
    case 7:
      if (message.length > 0) pick(message).field = pick([0, 1, 2, 3, 9, 15, 16]);
      break;
    default:
      message.splice(at, 0, { field: 1 + int(20), wire: WIRE.GROUP_START, raw: [] }, { field: 1 + int(20), wire: WIRE.GROUP_END, raw: [] });
  }
}

describe("the fast trace decoder against the generated one: seeded random payloads", () => {
  it("1,000 random requests through the official encoder (rows, rejections and reasons agree)", () => {
    const random = seededRandom(20261124);
    const fast = { buffer: 0, array: 0 };
    for (let i = 0; i < 1_000; i++) {
      const bytes = encodeOtlpObject(traceCollector.request, randomRequest(random));
      const options = randomOptions(random);
      if (expectSamePaths(Buffer.from(bytes), options, `request ${i}`)) fast.buffer++;
      if (expectSamePaths(Uint8Array.from(bytes), options, `request ${i} (Uint8Array)`)) fast.array++;
    }
    // Most random requests are plainly encoded; the rest hold deliberately odd values (deep nesting, negative enums),
    // and from a plain Uint8Array, a lone surrogate (invalid UTF-8) also leaves the fast path.
    expect(fast.buffer).toBeGreaterThan(800);
    expect(fast.array).toBeGreaterThan(100);
  });

  it("1,000 structurally mutated requests: reordered, duplicated, retagged, padded, unknown fields and groups", () => {
    const random = seededRandom(7);
    let fast = 0;
    let slow = 0;
    for (let i = 0; i < 1_000; i++) {
      const nodes = parseWire(encodeOtlpObject(traceCollector.request, randomRequest(random)));
      for (let k = 0; k < 1 + Math.floor(random() * 3); k++) mutateWire(nodes, random);
      const bytes = Buffer.from(writeWire(nodes));
      if (expectSamePaths(bytes, randomOptions(random), `mutation ${i}`)) fast++;
      else slow++;
    }
    expect([fast, slow].every((n) => n > 150)).toBe(true);
  });

  it("2,000 byte-mutated and 1,000 random bodies", () => {
    const random = seededRandom(99);
    const { int } = picker(random);
    const seeds = Array.from({ length: 20 }, () => encodeOtlpObject(traceCollector.request, randomRequest(random))).filter((b) => b.length > 0);
    for (let i = 0; i < 2_000; i++) {
      const bytes = Array.from(seeds[i % seeds.length]!);
      const edits = 1 + int(4);
      for (let k = 0; k < edits; k++) {
        const at = int(bytes.length);
        const edit = int(4);
        if (edit === 0) bytes[at] = int(256);
        else if (edit === 1) bytes.splice(at, 0, ...varint(int(2 ** 20)));
        else if (edit === 2) bytes.splice(at, 1 + int(4));
        else bytes.length = at;
      }
      expectSamePaths(Buffer.from(bytes), { nowUnixNano: NOW }, `byte mutation ${i}`);
    }
    for (let i = 0; i < 1_000; i++) {
      const bytes = Uint8Array.from({ length: int(300) }, () => int(256));
      expectSamePaths(Buffer.from(bytes), { nowUnixNano: NOW }, `random body ${i}`);
      expectSamePaths(bytes, { nowUnixNano: NOW }, `random body ${i} (Uint8Array)`);
    }
  });
});
