"use client";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { JobSearch } from "../_features/jobs/job-search";
import { apiCall } from "./api-client";

const ITEMS = [
  { href: "/", label: "Overview" },
  { href: "/slos", label: "SLOs" },
  { href: "/services", label: "Services" },
  { href: "/map", label: "Map" },
  { href: "/jobs", label: "Jobs" },
  { href: "/signals", label: "Signals" },
  { href: "/alerts", label: "Alerts & Webhooks" },
  { href: "/gates", label: "Release gates" },
  { href: "/settings", label: "Settings" },
];

export function Nav({ user }: { user: { name: string; email: string; role: string } }) {
  const pathname = usePathname();
  const router = useRouter();
  const active = (href: string) => (href === "/" ? pathname === "/" : pathname.startsWith(href));
  async function logout() {
    await apiCall("logout");
    router.replace("/login");
    router.refresh();
  }
  return (
    <nav className="nav" aria-label="Main">
      <div className="brand">
        Tailguard<small>SLOs for async systems</small>
      </div>
      <JobSearch compact />
      {ITEMS.map((i) => (
        <Link key={i.href} href={i.href} aria-current={active(i.href) ? "page" : undefined}>
          {i.label}
        </Link>
      ))}
      <div className="spacer" />
      <div className="who">
        <div>{user.name}</div>
        <div className="muted">
          {user.email} · {user.role}
        </div>
        <button onClick={logout} style={{ marginTop: 8 }}>
          Log out
        </button>
      </div>
    </nav>
  );
}
