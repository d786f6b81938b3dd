// Links that switch the time range of a services page (the server re-renders; loading.tsx shows meanwhile).
import Link from "next/link";
import { RANGES } from "./format";

export function RangePicker({ basePath, active }: { basePath: string; active: string }) {
  return (
    <nav className="tabs" aria-label="Time range">
      {RANGES.map((r) => (
        <Link key={r.key} className="button" href={`${basePath}?range=${r.key}`} aria-current={r.key === active ? "page" : undefined} style={r.key === active ? { fontWeight: 600 } : undefined}>
          {r.label}
        </Link>
      ))}
    </nav>
  );
}
