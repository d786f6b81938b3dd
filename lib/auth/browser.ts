// The browser-safe entry of this domain, for app/'s client components: tests/architecture.test.ts checks it reaches nothing server-only.
export { safeNextPath } from "./core/console-access";
export type { Scope } from "./core/scopes";
export type { TokenView } from "./core/token-schemas";
export type { UserView } from "./core/user-schemas";
