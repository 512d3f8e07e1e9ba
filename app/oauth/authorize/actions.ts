"use server";
// The consent screen's two answers. Server actions: Next refuses a call whose Origin is not this host (CSRF), and
// each call re-reads the session and re-validates the whole authorization request, so nothing the browser sends is
// trusted beyond the narrowing it chooses.
import { currentUser } from "@/lib/auth/console-user";
import { type AuthorizationRequest, parseAuthorizationRequest } from "@/lib/consents/authorization-request";
import { denyConsent as recordDenial } from "@/lib/consents/deny-consent";
import { type ConsentChoice, grantConsent } from "@/lib/consents/grant-consent";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";

export type ConsentAnswer = { redirectTo: string } | { error: string };

type Valid = { user: NonNullable<Awaited<ReturnType<typeof currentUser>>>; request: AuthorizationRequest };

async function validRequest(query: string): Promise<Valid | ConsentAnswer> {
  const user = await currentUser();
  if (!user) return { error: "Your session has ended. Sign in again and restart from the agent." };
  const parsed = await parseAuthorizationRequest(getDb(), new URLSearchParams(query));
  if (parsed.kind === "fatal") return { error: parsed.message };
  if (parsed.kind === "redirect") return { redirectTo: parsed.url };
  return { user, request: parsed.request };
}

export async function approveConsent(query: string, choice: ConsentChoice): Promise<ConsentAnswer> {
  const v = await validRequest(query);
  if (!("request" in v)) return v;
  try {
    return { redirectTo: (await grantConsent(getDb(), v.request, choice, v.user)).redirectTo };
  } catch (e) {
    if (e instanceof AppError) return { error: e.message };
    if (e instanceof Error && e.name === "ZodError") return { error: "Choose at least one tool and a valid duration" };
    throw e;
  }
}

export async function denyConsent(query: string): Promise<ConsentAnswer> {
  const v = await validRequest(query);
  if (!("request" in v)) return v;
  return recordDenial(getDb(), v.request, v.user);
}
