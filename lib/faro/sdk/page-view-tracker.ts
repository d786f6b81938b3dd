// The console's page views as the browser lives them: one per route rendered (or per return to a hidden tab),
// ended by the next navigation or by hiding the page, reported then with its duration and JS error count.
// No DOM here: the console's Faro component feeds it navigations, errors and visibility changes.
import { PAGE_VIEW_EVENT } from "../core/console-app";
import { pageViewAttributes, type PageViewEnd, type PageViewNavigation } from "../core/page-view-event";

/** The part of Faro's API the tracker uses. */
export type FaroPageApi = {
  pushEvent(name: string, attributes?: Record<string, string>, domain?: string, options?: { skipDedupe?: boolean; timestampOverwriteMs?: number }): void;
  setView(view: { name: string }): void;
};

type View = { id: string; route: string; path: string; url: string; startedAtMs: number; errors: number; navigation: PageViewNavigation };
type Ended = { view: View; endedAtMs: number; endedBy: PageViewEnd };

/** Ended views kept while Faro is still loading; more than this and the oldest are dropped. */
const MAX_WAITING = 20;

export class PageViewTracker {
  private view: View | null = null;
  private last: { route: string; path: string; url: string } | null = null;
  private faro: FaroPageApi | null = null;
  private waiting: Ended[] = [];
  private reporting: View | null = null;

  constructor(private readonly deps: { nowMs: () => number; newId: () => string }) {}

  /** Faro is ready: report the views that ended while it loaded, and name the current one. */
  attach(faro: FaroPageApi): void {
    this.faro = faro;
    for (const ended of this.waiting.splice(0)) this.report(ended);
    if (this.view) faro.setView({ name: this.view.route });
  }

  /** A route was rendered; the first view of a document starts at navigation start (`startedAtMs`). */
  navigate(at: { route: string; path: string; url: string; startedAtMs?: number }): void {
    if (this.view?.path === at.path) return;
    const first = this.view === null && this.last === null;
    this.end("navigation");
    this.start(at, first ? "load" : "route_change", at.startedAtMs);
  }

  hidden(): void {
    this.end("hidden");
  }

  /** Back to a hidden tab: a new page view of the same route. */
  visible(): void {
    if (this.view === null && this.last !== null) this.start(this.last, "resume");
  }

  recordError(): void {
    if (this.view) this.view.errors++;
  }

  /** Faro `page` meta: the view being reported, else the current one, so every item names its page view. */
  pageMeta(): { page?: { id: string; url: string } } {
    const view = this.reporting ?? this.view;
    return view ? { page: { id: view.id, url: view.url } } : {};
  }

  private start(at: { route: string; path: string; url: string }, navigation: PageViewNavigation, startedAtMs?: number): void {
    this.view = { id: this.deps.newId(), route: at.route, path: at.path, url: at.url, startedAtMs: startedAtMs ?? this.deps.nowMs(), errors: 0, navigation };
    this.last = { route: at.route, path: at.path, url: at.url };
    this.faro?.setView({ name: at.route });
  }

  private end(endedBy: PageViewEnd): void {
    const view = this.view;
    if (!view) return;
    this.view = null;
    const ended = { view, endedAtMs: this.deps.nowMs(), endedBy };
    if (this.faro) this.report(ended);
    else this.waiting = [...this.waiting, ended].slice(-MAX_WAITING);
  }

  private report({ view, endedAtMs, endedBy }: Ended): void {
    const record = { route: view.route, path: view.path, durationMs: endedAtMs - view.startedAtMs, errors: view.errors, navigation: view.navigation, endedBy };
    // Faro captures metas while pushing, so the event carries the ended view's page ID.
    this.reporting = view;
    try {
      this.faro?.pushEvent(PAGE_VIEW_EVENT, pageViewAttributes(record), undefined, { skipDedupe: true, timestampOverwriteMs: endedAtMs });
    } finally {
      this.reporting = null;
    }
  }
}
