// Links that switch the time range of a services page (the server re-renders; loading.tsx shows meanwhile).
import Link from "next/link";
import { RANGES } from "./format";

/** `keep` holds the page's other query parameters, carried over when the range changes. */
export function RangePicker({ basePath, active, keep = {} }: { basePath: string; active: string; keep?: Record<string, string | undefined> }) {
  const kept = Object.entries(keep).flatMap(([k, v]) => (v === undefined ? [] : [`&${k}=${encodeURIComponent(v)}`])).join("");
  return (
    <nav className="tabs" aria-label="Time range">
      {RANGES.map((r) => (
        <Link key={r.key} className="button" href={`${basePath}?range=${r.key}${kept}`} aria-current={r.key === active ? "page" : undefined} style={r.key === active ? { fontWeight: 600 } : undefined}>
          {r.label}
        </Link>
      ))}
    </nav>
  );
}
