"use client";
// Opens one job by its exact ID: on the jobs page and, compact, in the console's navigation.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { jobHref } from "./search-params";

const NAV_INPUT: React.CSSProperties = { width: "100%", background: "#1c212b", border: "1px solid #262d3a", color: "#fff", fontSize: 13 };

export function JobSearch({ compact = false }: { compact?: boolean }) {
  const router = useRouter();
  const [jobId, setJobId] = useState("");
  const [pending, startTransition] = useTransition();
  function open(e: React.FormEvent) {
    e.preventDefault();
    const id = jobId.trim();
    if (id === "") return;
    startTransition(() => router.push(jobHref(id)));
  }
  if (compact) {
    return (
      <form role="search" aria-label="Find a job" onSubmit={open} style={{ padding: "0 4px 14px" }}>
        <input aria-label="Go to job ID" value={jobId} onChange={(e) => setJobId(e.target.value)} placeholder={pending ? "Opening…" : "Go to job ID…"} spellCheck={false} autoComplete="off" style={NAV_INPUT} />
      </form>
    );
  }
  return (
    <form role="search" aria-label="Open a job by ID" onSubmit={open} className="row" style={{ marginBottom: 16 }}>
      <label style={{ flex: 1, maxWidth: 520 }}>
        Job ID
        <input value={jobId} onChange={(e) => setJobId(e.target.value)} placeholder="exactly as sent in job.id" spellCheck={false} autoComplete="off" />
      </label>
      <button className="primary" type="submit" disabled={pending}>{pending ? "Opening…" : "Open job"}</button>
    </form>
  );
}
