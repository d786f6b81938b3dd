import { describe, expect, it } from "vitest";
import { spanCutNotes } from "./span-cuts";

const none = { droppedAttributesCount: 0, droppedEventsCount: 0, droppedLinksCount: 0, truncatedValuesCount: 0, events: [], links: [] };
const event = (droppedAttributesCount: number) => ({ timeUnixNano: "1", name: "e", attributes: {}, droppedAttributesCount });

describe("spanCutNotes", () => {
  it.each([
    ["nothing cut", none, []],
    ["one of each on the span", { ...none, droppedAttributesCount: 1, droppedEventsCount: 1, droppedLinksCount: 1, truncatedValuesCount: 1 }, ["1 attribute dropped", "1 event dropped", "1 link dropped", "1 attribute value truncated"]],
    ["event attributes summed over events", { ...none, events: [event(2), event(0), event(3)] }, ["5 event attributes dropped"]],
    ["link attributes and truncated values", { ...none, links: [{ traceId: "a", spanId: "b", traceState: "", attributes: {}, droppedAttributesCount: 4 }], truncatedValuesCount: 7 }, ["4 link attributes dropped", "7 attribute values truncated"]],
  ])("%s", (_name, span, notes) => {
    expect(spanCutNotes(span)).toEqual(notes);
  });
});
