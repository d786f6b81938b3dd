"use client";
// Starts Grafana Faro once per document (web vitals, JS errors, fetch timings, sessions) and reports the
// console's page views, one per App Router route, to the collector the server configured.
import { useParams, usePathname } from "next/navigation";
import { useEffect } from "react";
import { FaroClientConfig, PageViewTracker, routePattern } from "@/lib/faro/browser";

let tracker: PageViewTracker | null = null;

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}

function startOnce(config: FaroClientConfig): PageViewTracker {
  if (tracker) return tracker;
  const t = new PageViewTracker({ nowMs: Date.now, newId: () => randomHex(8) });
  tracker = t;
  // Added before Faro's own listener, so a view ended by hiding the page is in the batch Faro flushes then.
  document.addEventListener("visibilitychange", () => (document.visibilityState === "hidden" ? t.hidden() : t.visible()));
  // Errors before Faro has loaded are kept and handed to it once it has; after that its own handlers see them.
  let early: { error: Error; atMs: number }[] | null = [];
  const keep = (error: unknown) => {
    t.recordError();
    if (early && early.length < 20) early.push({ error: error instanceof Error ? error : new Error(String(error)), atMs: Date.now() });
  };
  window.addEventListener("error", (e) => keep(e.error ?? e.message));
  window.addEventListener("unhandledrejection", (e) => keep(e.reason));
  // Loaded after hydration, off the critical path; web vitals are read from buffered performance entries.
  import("@grafana/faro-web-sdk")
    .then(({ getWebInstrumentations, initializeFaro }) => {
      const faro = initializeFaro({
        url: config.url,
        app: config.app,
        instrumentations: getWebInstrumentations({ captureConsole: false }),
        metas: [() => t.pageMeta()],
      });
      t.attach(faro.api);
      for (const { error, atMs } of early ?? []) faro.api.pushError(error, { timestampOverwriteMs: atMs });
      early = null;
    })
    .catch((err: unknown) => console.warn("Faro did not start", err));
  return t;
}

export function ConsoleFaro({ config }: { config: FaroClientConfig }) {
  const pathname = usePathname();
  const params = useParams();
  useEffect(() => {
    const route = routePattern(pathname, params ?? {});
    startOnce(config).navigate({ route, path: pathname, url: window.location.href, startedAtMs: performance.timeOrigin });
    // Params change only with the path; a new route is a new page view.
  }, [pathname]);
  return null;
}
