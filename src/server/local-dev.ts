/** Whether a request is a developer's plain-http localhost: the only place a cookie may be non-Secure. */
export function isLocalDev(protocol: string, hostname: string, production: boolean): boolean {
  if (production || protocol !== "http") return false;
  const host = hostname.replace(/:\d+$/, "");
  return host === "localhost" || host === "127.0.0.1" || host === "[::1]" || host === "::1";
}
