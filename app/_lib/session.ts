// Server-side helpers for console pages: who is logged in, and the shared app context.
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { redirect } from "next/navigation";
import { resolveSession, SESSION_COOKIE } from "@/lib/auth";
import { getAppContext } from "@/lib/context/app-context";

// Cached per request: the console layout and the page both ask, and the session is read once.
export const currentUser = cache(async () => {
  const app = getAppContext();
  const value = (await cookies()).get(SESSION_COOKIE)?.value;
  return resolveSession(app.db, value, app.sessionKey);
});

/** The logged-in user, or a redirect to the login page. */
export async function requireUser() {
  const user = await currentUser();
  if (!user) redirect("/login");
  return user;
}

export async function requestHost(): Promise<string | null> {
  return (await headers()).get("host");
}
