import type { ReactNode } from "react";
import { Nav } from "../_components/nav";
import { requireUser } from "../_lib/session";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <div className="shell">
      <Nav user={{ name: user.name, email: user.email, role: user.role }} />
      <main className="main">{children}</main>
    </div>
  );
}
