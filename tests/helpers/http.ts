// Building real Requests for the route handlers, and reading their answers.
import { encode } from "next-auth/jwt";
import { sessionSecret } from "@/lib/auth/options";

export const BASE_URL = "http://localhost:3000";

type RequestOptions = {
  method?: string;
  /** an API key, sent as Authorization: Bearer <key> */
  key?: string;
  /** a raw Authorization header */
  authorization?: string;
  /** a session cookie value (next-auth.session-token) */
  session?: string;
  /** a JSON value, serialised and sent as application/json */
  json?: unknown;
  /** a raw body, sent as is */
  body?: BodyInit;
  headers?: Record<string, string>;
};

export function apiRequest(path: string, opts: RequestOptions = {}): Request {
  const headers = new Headers(opts.headers);
  if (opts.key !== undefined) headers.set("authorization", `Bearer ${opts.key}`);
  if (opts.authorization !== undefined) headers.set("authorization", opts.authorization);
  if (opts.session !== undefined) headers.set("cookie", `next-auth.session-token=${opts.session}`);
  let body = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return new Request(`${BASE_URL}${path}`, { method: opts.method ?? (body === undefined ? "GET" : "POST"), headers, body });
}

/** The second argument Next passes to a dynamic route handler. */
export function routeParams<T extends Record<string, string>>(params: T) {
  return { params: Promise.resolve(params) };
}

export async function json(res: Response): Promise<any> {
  return JSON.parse(await res.text());
}

/** A console session cookie, as next-auth would have set it after sign-in (lib/auth/options.ts jwt callback). */
export async function sessionCookie(token: { uid: string; epoch?: number }, opts: { secret?: string; maxAge?: number } = {}) {
  return encode({ token, secret: opts.secret ?? sessionSecret(), maxAge: opts.maxAge });
}

/** The error envelope of the JSON API. */
export const apiError = (code: string, message: string, details?: unknown) => ({
  error: { code, message, ...(details === undefined ? {} : { details }) },
});
