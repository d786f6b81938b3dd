// Checks an outgoing webhook URL: http(s) only, no credentials, and (unless an administrator
// allows private networks) every address the host resolves to must be public.
import { isIP } from "node:net";
import { blockedAddressReason } from "./address-ranges";

export type ResolveHost = (hostname: string) => Promise<string[]>;
export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

export function parseWebhookUrl(text: string): UrlCheck {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: "not a valid URL" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, reason: "only http and https URLs are allowed" };
  if (url.username || url.password) return { ok: false, reason: "credentials in the URL are not allowed; receivers authenticate Tailguard by the signature" };
  return { ok: true, url };
}

/** The host without IPv6 brackets. */
export function urlHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

/** Refuses addresses in loopback/private/link-local/metadata ranges unless allowed. */
export function checkAddresses(host: string, addresses: readonly string[], allowPrivateNetworks: boolean): UrlCheck | null {
  if (allowPrivateNetworks) return null;
  if (addresses.length === 0) return { ok: false, reason: `${host} does not resolve` };
  for (const a of addresses) {
    const reason = blockedAddressReason(a);
    if (reason) return { ok: false, reason: `${host} resolves to ${a} (${reason}); private networks are refused unless TAILGUARD_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true` };
  }
  return null;
}

export async function checkWebhookUrl(text: string, options: { allowPrivateNetworks: boolean; resolve: ResolveHost }): Promise<UrlCheck> {
  const parsed = parseWebhookUrl(text);
  if (!parsed.ok) return parsed;
  const host = urlHost(parsed.url);
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await options.resolve(host);
  } catch (err) {
    if (options.allowPrivateNetworks) return parsed;
    return { ok: false, reason: `cannot resolve ${host}: ${(err as Error).message}` };
  }
  return checkAddresses(host, addresses, options.allowPrivateNetworks) ?? parsed;
}
