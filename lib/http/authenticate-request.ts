// Who is calling the JSON API: an admin API key (Authorization: Bearer dpk_...) or a console session cookie.
// Cookie-authenticated writes must come from our own origin (CSRF); bearer keys are not sent by browsers on their own.
import { RequestCookies } from "next/dist/server/web/spec-extension/cookies";
import { authenticateApiKey } from "@/lib/api-keys/authenticate-api-key";
import type { Actor } from "@/lib/audit/actor";
import { isConsoleRole, type ConsoleRole } from "@/lib/auth/roles";
import { userFromSessionCookies } from "@/lib/auth/session";
import type { Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";

export type Principal = { actor: Actor; role: ConsoleRole; via: "api_key" | "session" };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export async function authenticateRequest(db: Db, request: Request): Promise<Principal> {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) {
    const match = /^Bearer ([^\s]+)$/i.exec(authorization.trim());
    if (!match) {
      throw new AppError("unauthorized", "Use Authorization: Bearer <API key>", undefined, { "WWW-Authenticate": 'Bearer realm="deputy"' });
    }
    // admin API keys act with the admin role, for automation
    return { actor: await authenticateApiKey(db, match[1]!), role: "admin", via: "api_key" };
  }

  const user = await userFromSessionCookies(db, new RequestCookies(request.headers));
  if (!user || !isConsoleRole(user.role)) {
    throw new AppError("unauthorized", "Sign in or send an API key", undefined, { "WWW-Authenticate": 'Bearer realm="deputy"' });
  }
  if (!SAFE_METHODS.has(request.method)) assertSameOrigin(request);
  return { actor: { type: "user", id: user.id, label: user.email }, role: user.role, via: "session" };
}

function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  const allowed = new Set([new URL(request.url).origin, new URL(env().NEXTAUTH_URL).origin]);
  if (origin ? allowed.has(origin) : request.headers.get("sec-fetch-site") === "same-origin") return;
  throw new AppError("forbidden", "Cross-site request refused");
}
