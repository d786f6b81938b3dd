"use client";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { safeNextPath } from "@/lib/auth/browser";
import { apiCall } from "../_components/api-client";

export function LoginForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const r = await apiCall("login", { body: { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") } });
    setBusy(false);
    if (!r.ok) return setError(r.message);
    router.replace(safeNextPath(new URLSearchParams(window.location.search).get("next")) ?? "/");
    router.refresh();
  }

  return (
    <form onSubmit={submit}>
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required autoFocus />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <button className="primary" type="submit" disabled={busy}>
        {busy ? "Logging in…" : "Log in"}
      </button>
      {error && <p className="error" role="alert">{error}</p>}
    </form>
  );
}
