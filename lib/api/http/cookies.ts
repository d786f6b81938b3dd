// Reading one cookie from a Cookie header, tolerating whatever a client sends.

/** The decoded value of cookie `name`, or undefined when absent or not valid percent-encoding (treated as no cookie). */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}
