import { describe, expect, it } from "vitest";
import { accessFor, loginLocation, safeNextPath, type AccessDecision } from "./console-access";

const PUBLIC: AccessDecision = { kind: "public" };
const UNAUTHORISED: AccessDecision = { kind: "needs-session", refusal: { status: 401 } };
const toLogin = (location: string): AccessDecision => ({ kind: "needs-session", refusal: { status: 307, location } });
const RSC = { rsc: "1" };
const TREE = { rsc: "1", "next-router-state-tree": encodeURIComponent(JSON.stringify(["", { children: ["(console)", { children: ["signals", {}] }] }])) };

describe("accessFor", () => {
  // [method, url, headers, dev, expected]
  const rows: [string, string, Record<string, string>, boolean, AccessDecision][] = [
    // What anyone may fetch.
    ["GET", "/login", {}, false, PUBLIC],
    ["GET", "/login?next=%2Fservices", {}, false, PUBLIC],
    ["GET", "/login?_rsc=abc", RSC, false, PUBLIC],
    ["POST", "/api/v1/auth/login", {}, false, PUBLIC],
    ["GET", "/api/v1/services", {}, false, PUBLIC], // route() authenticates it
    ["POST", "/api/faro/collect", {}, false, PUBLIC], // the receiver authenticates itself
    ["GET", "/_next/static/chunks/app/(console)/page-0a1b.js", {}, false, PUBLIC],
    ["GET", "/favicon.ico", {}, false, PUBLIC],
    ["GET", "/healthz", {}, false, PUBLIC],
    ["GET", "/readyz", {}, false, PUBLIC],
    ["GET", "/metrics", {}, false, PUBLIC],
    // next dev serves its tooling; production does not.
    ["GET", "/_next/webpack-hmr", {}, true, PUBLIC],
    ["POST", "/__nextjs_original-stack-frames", {}, true, PUBLIC],
    ["POST", "/__nextjs_original-stack-frames", {}, false, UNAUTHORISED],
    ["GET", "/_next/image?url=%2Fx", {}, false, toLogin("/login?next=%2F_next%2Fimage%3Furl%3D%252Fx")],
    // Console documents go to the login page, remembering where they were going (not for the overview).
    ["GET", "/", {}, false, toLogin("/login")],
    ["HEAD", "/", {}, false, toLogin("/login")],
    ["GET", "/services", {}, false, toLogin("/login?next=%2Fservices")],
    ["GET", "/services?range=1h", {}, false, toLogin("/login?next=%2Fservices%3Frange%3D1h")],
    ["GET", "/jobs/job-1", {}, true, toLogin("/login?next=%2Fjobs%2Fjob-1")],
    ["GET", "/no-such-page", {}, false, toLogin("/login?next=%2Fno-such-page")],
    ["GET", "/login/", {}, false, toLogin("/login")],
    // Flight payloads and server actions get a bare 401 (issue #13: the layout did not guard them).
    ["GET", "/services", RSC, false, UNAUTHORISED],
    ["GET", "/services?_rsc=1x2y", TREE, false, UNAUTHORISED],
    ["GET", "/services?_rsc=1x2y", {}, false, UNAUTHORISED],
    ["GET", "/services?%5Frsc=1x2y", {}, false, UNAUTHORISED],
    ["GET", "/traces/4bf9", { "next-router-prefetch": "1" }, false, UNAUTHORISED],
    ["POST", "/", { "next-action": "7f00aa" }, false, UNAUTHORISED],
    ["POST", "/login", { "next-action": "7f00aa" }, false, UNAUTHORISED], // an action can be dispatched from any page
    ["POST", "/signals", {}, false, UNAUTHORISED],
    ["DELETE", "/services", {}, false, UNAUTHORISED],
    // Targets that normalise onto a console page are judged as that page, and odd encodings are never public.
    ["GET", "/_next/static/../../services", {}, false, toLogin("/login?next=%2Fservices")],
    ["GET", "/api/%2e%2e/services", {}, false, toLogin("/login")],
    ["GET", "/api%2f..%2fservices", {}, false, toLogin("/login")],
    ["GET", "/api/..%5cservices", RSC, false, UNAUTHORISED],
    ["GET", "/api\\..\\services", {}, false, toLogin("/login")],
    ["GET", "//login", {}, false, toLogin("/login")],
    ["GET", "*", {}, false, toLogin("/login")],
  ];
  it.each(rows)("%s %s %o (dev %s)", (method, url, headers, dev, expected) => {
    expect(accessFor({ method, url, headers, dev })).toEqual(expected);
  });
});

describe("safeNextPath", () => {
  const rows: [string | null, string | null][] = [
    ["/services", "/services"],
    ["/services/api?range=1h#top", "/services/api?range=1h#top"],
    ["/services?_rsc=abc&range=1h", "/services?range=1h"],
    [null, null],
    ["", null],
    ["services", null],
    ["//evil.example/x", null],
    ["/\\evil.example", null],
    ["https://evil.example/", null],
    ["javascript:alert(1)", null],
    ["/\tevil", null],
    ["/login", null],
    ["/../login", null],
  ];
  it.each(rows)("%s → %s", (raw, expected) => expect(safeNextPath(raw)).toBe(expected));
});

it("loginLocation leaves the overview implicit", () => {
  expect(loginLocation("/")).toBe("/login");
  expect(loginLocation("/signals/abc")).toBe("/login?next=%2Fsignals%2Fabc");
});
