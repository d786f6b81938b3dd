// The public entry of this domain for app/'s server code (pages, route handlers, server components); client components use ./browser.ts. Inside lib/, import the file itself, never this entry.
export { safeNextPath } from "./core/console-access";
export { hasScope, type Scope, scopesForRole } from "./core/scopes";
export type { TokenView } from "./core/token-schemas";
export type { UserView } from "./core/user-schemas";
export { attemptLogin, loginPolicies } from "./store/login";
export { clearedSessionCookie, createSession, deleteSession, resolveSession, SESSION_COOKIE, sessionCookie } from "./store/sessions";
export { createToken, listTokens, revokeToken } from "./store/tokens";
export { createUser, listUsers, updateUser } from "./store/users";
