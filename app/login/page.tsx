import { redirect } from "next/navigation";
import { safeNextPath } from "@/lib/auth";
import { currentUser } from "../_lib/session";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  if (await currentUser()) redirect(safeNextPath(typeof next === "string" ? next : null) ?? "/");
  return (
    <main className="login">
      <div className="panel">
        <h1>Tailguard</h1>
        <p className="lead">Log in to the console.</p>
        <LoginForm />
        <p className="muted" style={{ fontSize: 12, marginTop: 16 }}>
          First start? The admin password was printed once in the server output (or set with TAILGUARD_ADMIN_PASSWORD).
        </p>
      </div>
    </main>
  );
}
