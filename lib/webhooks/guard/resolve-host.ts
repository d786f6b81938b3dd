// Resolves a host name to all its addresses through the system resolver (the URL guard's DNS step).
import { lookup } from "node:dns/promises";
import type { ResolveHost } from "./url-guard";

export const resolveHost: ResolveHost = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);
