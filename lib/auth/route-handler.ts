// The next-auth route, with sign-in throttling in front: while an account or address must wait, a credentials
// sign-in answers 429 with Retry-After before next-auth checks anything.
import NextAuth from "next-auth";
import { getDb } from "@/lib/db/client";
import { clientAddress } from "@/lib/http/client-address";
import { securityHeaders } from "@/lib/http/headers";
import { authOptions } from "./options";
import { retryAfterSeconds, signInThrottleKeys } from "./throttle";

type Ctx = { params: Promise<{ nextauth: string[] }> };

export function nextAuthHandlers() {
  // built on first use, not at import: `next build` imports routes, and must not need the master key
  type Handler = (req: Request, ctx: Ctx) => Promise<Response>;
  let nextAuth: Handler | undefined;
  const handler: Handler = (req, ctx) => (nextAuth ??= NextAuth(authOptions()) as Handler)(req, ctx);

  async function POST(req: Request, ctx: Ctx) {
    if (new URL(req.url).pathname.endsWith("/callback/credentials")) {
      const form = await req
        .clone()
        .formData()
        .catch(() => null);
      const email = form?.get("email");
      if (typeof email === "string" && email) {
        const wait = await retryAfterSeconds(getDb(), signInThrottleKeys(email, clientAddress(req.headers)));
        if (wait > 0) {
          return Response.json(
            { error: "rate_limited", message: `Too many failed sign-ins; try again in ${wait} s`, retryAfterSeconds: wait },
            { status: 429, headers: { ...securityHeaders, "Retry-After": String(wait) } },
          );
        }
      }
    }
    return handler(req, ctx);
  }

  return { GET: handler, POST };
}
