// GET /oauth/authorize: RFC 6749 section 4.1.1 (authorization code) with PKCE (RFC 7636, S256 only). A person signs in
// and sees what an on-behalf-of agent asks for; see lib/consents/authorization-request.ts for the parameters.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/console-user";
import { parseAuthorizationRequest } from "@/lib/consents/authorization-request";
import { describeConsent } from "@/lib/consents/consent-screen";
import { getDb } from "@/lib/db/client";
import { ConsentForm } from "./_components/consent-form";

export const metadata: Metadata = { title: "Authorize an agent" };
export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

function toQuery(params: SearchParams): URLSearchParams {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const item of [v].flat()) if (item !== undefined) query.append(k, item);
  return query;
}

export default async function AuthorizePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = toQuery(await searchParams);
  const db = getDb();
  const parsed = await parseAuthorizationRequest(db, query);
  if (parsed.kind === "redirect") redirect(parsed.url);
  if (parsed.kind === "fatal") {
    return (
      <Frame>
        <h1 className="text-xl font-semibold">This authorization request cannot be completed</h1>
        <p data-testid="authorize-error" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {parsed.message}
        </p>
        <p className="mt-3 text-sm text-slate-500">Nothing was shared with the agent. You can close this page.</p>
      </Frame>
    );
  }
  const user = await currentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/oauth/authorize?${query.toString()}`)}`);
  const screen = await describeConsent(db, parsed.request, user.id);
  return (
    <Frame>
      <ConsentForm screen={screen} query={query.toString()} userEmail={user.email} />
    </Frame>
  );
}

function Frame({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-start justify-center p-6 sm:pt-16">
      <div className="w-full max-w-xl">
        <div className="mb-6 flex items-center justify-center gap-2">
          <div className="flex h-8 w-8 items-center justify-center rounded-lg bg-brand font-bold text-white">D</div>
          <span className="text-lg font-semibold">Deputy</span>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">{children}</div>
      </div>
    </main>
  );
}
