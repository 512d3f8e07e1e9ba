// A plain request and response for the hot endpoints: what they need and nothing more. The App Router route adapts
// a web Request to it; the custom server (server.mjs) builds it straight from Node's request, skipping the web
// Request/Response objects, which cost more than the token endpoint's own work.
import { readCappedBody } from "./read-body";

export type HeaderGetter = { get(name: string): string | null };

export type PlainRequest = {
  headers: HeaderGetter;
  /** the body, or null when it was over the endpoint's limit (not read further) */
  body: Buffer | null;
};

export type PlainResponse = { status: number; headers: Record<string, string>; body: string };

export type PlainHandler = (request: PlainRequest) => Promise<PlainResponse>;

/** Serves a plain handler as an App Router route handler. */
export function webHandler(handler: PlainHandler, maxBodyBytes: number) {
  return async (request: Request): Promise<Response> => {
    const result = await handler({ headers: request.headers, body: await readCappedBody(request, maxBodyBytes) });
    return new Response(result.status === 204 ? null : result.body, { status: result.status, headers: result.headers });
  };
}

/** Node's header object as a HeaderGetter (names are already lower-case there). */
export function nodeHeaders(headers: Record<string, string | string[] | undefined>): HeaderGetter {
  return {
    get(name) {
      const v = headers[name.toLowerCase()];
      return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
    },
  };
}

export function plainJson(status: number, body: unknown, headers: Record<string, string>): PlainResponse {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}
