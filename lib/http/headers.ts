// Headers every API response carries. Pages get theirs (and the CSP) from next.config.js and proxy.ts; these are
// set by the handlers themselves so they hold even when a handler is served outside Next's pipeline.
export const securityHeaders: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Cache-Control": "no-store",
};

export const noStoreHeaders: Record<string, string> = { ...securityHeaders, Pragma: "no-cache" };
