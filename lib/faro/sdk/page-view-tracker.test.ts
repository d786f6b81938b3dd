import { describe, expect, it } from "vitest";
import { PageViewTracker, type FaroPageApi } from "./page-view-tracker";

/** A stand-in for Faro's API that records what it was given, and the page meta at each push as Faro would. */
class RecordingFaro implements FaroPageApi {
  readonly events: { attributes: Record<string, string>; pageId: string | undefined; atMs: number | undefined }[] = [];
  readonly views: string[] = [];
  constructor(private readonly tracker: () => PageViewTracker) {}
  pushEvent(_name: string, attributes: Record<string, string> = {}, _domain?: string, options?: { timestampOverwriteMs?: number }) {
    this.events.push({ attributes, pageId: this.tracker().pageMeta().page?.id, atMs: options?.timestampOverwriteMs });
  }
  setView(view: { name: string }) {
    this.views.push(view.name);
  }
}

function setUp() {
  let now = 1_000;
  let ids = 0;
  const tracker = new PageViewTracker({ nowMs: () => now, newId: () => `view-${++ids}` });
  const faro = new RecordingFaro(() => tracker);
  return { tracker, faro, advance: (ms: number) => (now += ms) };
}

const at = (path: string, route = path) => ({ route, path, url: `http://localhost${path}` });

describe("PageViewTracker", () => {
  it("reports each page view when the next one starts, with its duration, errors and its own page ID", () => {
    const { tracker, faro, advance } = setUp();
    tracker.attach(faro);
    tracker.navigate({ ...at("/"), startedAtMs: 200 });
    advance(500);
    tracker.recordError();
    tracker.navigate(at("/services/api", "/services/[name]"));
    advance(300);
    tracker.navigate(at("/slos"));
    expect(faro.events).toEqual([
      { attributes: { route: "/", path: "/", duration_ms: "1300", errors: "1", navigation: "load", ended_by: "navigation" }, pageId: "view-1", atMs: 1500 },
      { attributes: { route: "/services/[name]", path: "/services/api", duration_ms: "300", errors: "0", navigation: "route_change", ended_by: "navigation" }, pageId: "view-2", atMs: 1800 },
    ]);
    expect(faro.views).toEqual(["/", "/services/[name]", "/slos"]);
    expect(tracker.pageMeta()).toEqual({ page: { id: "view-3", url: "http://localhost/slos" } });
  });

  it("ignores a repeated render of the same path", () => {
    const { tracker, faro } = setUp();
    tracker.attach(faro);
    tracker.navigate(at("/"));
    tracker.navigate(at("/"));
    expect(faro.events).toEqual([]);
  });

  it("ends the view when the page is hidden and starts another when it is shown again", () => {
    const { tracker, faro, advance } = setUp();
    tracker.attach(faro);
    tracker.navigate(at("/jobs"));
    advance(100);
    tracker.hidden();
    advance(10_000);
    tracker.recordError();
    tracker.visible();
    advance(50);
    tracker.hidden();
    expect(faro.events.map((e) => [e.pageId, e.attributes.navigation, e.attributes.ended_by, e.attributes.duration_ms, e.attributes.errors])).toEqual([
      ["view-1", "load", "hidden", "100", "0"],
      ["view-2", "resume", "hidden", "50", "0"],
    ]);
  });

  it("keeps views that ended before Faro loaded and reports them once it is attached", () => {
    const { tracker, faro, advance } = setUp();
    tracker.navigate(at("/"));
    advance(40);
    tracker.navigate(at("/slos"));
    expect(tracker.pageMeta().page?.id).toBe("view-2");
    tracker.attach(faro);
    expect(faro.events.map((e) => [e.pageId, e.attributes.route, e.atMs])).toEqual([["view-1", "/", 1040]]);
    expect(faro.views).toEqual(["/slos"]);
  });
});
