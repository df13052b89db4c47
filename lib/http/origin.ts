/**
 * Whether a state-changing request may come from `origin` (its `Origin` header). No header is a
 * script or curl, which cookies alone put at no risk of CSRF; a browser always sends one on a
 * cross-site or same-site POST/PUT/PATCH/DELETE. It must be one of the site's configured public
 * origins (PUBLIC_URL, the SITES base URLs) — never compared with the request's own `Host`, which
 * a DNS-rebinding page controls. `null` (sandboxed frames, file: pages) and anything that is not
 * an http(s) origin are refused.
 */
export function isAllowedOrigin(origin: string | null, allowed: readonly string[]): boolean {
  if (origin === null) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
  // A browser sends the serialised origin (scheme://host[:port], lowercase, no default port, no
  // path): anything else did not come from one.
  if (parsed.origin !== origin) return false;
  return allowed.includes(parsed.origin);
}
