// What the ingest span limits cut from one span, in words for the span details (nothing when nothing was cut).
import type { TraceSpan } from "@/lib/telemetry/browser";

type Counts = Pick<TraceSpan, "droppedAttributesCount" | "droppedEventsCount" | "droppedLinksCount" | "truncatedValuesCount" | "events" | "links">;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function spanCutNotes(span: Counts): string[] {
  const eventAttributes = span.events.reduce((n, e) => n + e.droppedAttributesCount, 0);
  const linkAttributes = span.links.reduce((n, l) => n + l.droppedAttributesCount, 0);
  const notes = [
    span.droppedAttributesCount > 0 ? `${plural(span.droppedAttributesCount, "attribute")} dropped` : null,
    span.droppedEventsCount > 0 ? `${plural(span.droppedEventsCount, "event")} dropped` : null,
    span.droppedLinksCount > 0 ? `${plural(span.droppedLinksCount, "link")} dropped` : null,
    eventAttributes > 0 ? `${plural(eventAttributes, "event attribute")} dropped` : null,
    linkAttributes > 0 ? `${plural(linkAttributes, "link attribute")} dropped` : null,
    span.truncatedValuesCount > 0 ? `${plural(span.truncatedValuesCount, "attribute value")} truncated` : null,
  ];
  return notes.filter((n): n is string => n !== null);
}
