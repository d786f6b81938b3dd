"use client";
// The map's service filter and its auto-refresh: the server re-reads the rollups every 15 s unless paused.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

export const REFRESH_MS = 15_000;

export function MapControls({ services, service, range }: { services: string[]; service: string | null; range: string }) {
  const router = useRouter();
  const [paused, setPaused] = useState(false);
  const [refreshedAt, setRefreshedAt] = useState<Date | null>(null);
  useEffect(() => {
    if (paused) return;
    const timer = setInterval(() => {
      router.refresh();
      setRefreshedAt(new Date());
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [paused, router]);
  const choose = (name: string) => router.push(`/map?range=${encodeURIComponent(range)}${name ? `&service=${encodeURIComponent(name)}` : ""}`);
  return (
    <div className="row" style={{ marginBottom: 12, alignItems: "center" }}>
      <label>Service
        <select aria-label="Service" value={service ?? ""} onChange={(e) => choose(e.target.value)}>
          <option value="">all services</option>
          {service !== null && !services.includes(service) && <option value={service}>{service}</option>}
          {services.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </label>
      <div className="checks">
        <label><input type="checkbox" checked={!paused} onChange={(e) => setPaused(!e.target.checked)} /> refresh every {REFRESH_MS / 1000} s</label>
      </div>
      <span className="muted" style={{ fontSize: 13 }} aria-live="polite">{refreshedAt ? `refreshed ${refreshedAt.toLocaleTimeString()}` : ""}</span>
    </div>
  );
}
