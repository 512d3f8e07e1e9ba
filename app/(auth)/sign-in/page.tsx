import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/console-user";
import { env } from "@/lib/env";
import { SignInForm } from "./_components/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  SsoNoAccount: "Your SSO account has no Deputy access. Ask an admin to invite your email address.",
  OAuthSignin: "Could not start single sign-on. Try again or use your password.",
  OAuthCallback: "Single sign-on failed. Try again or use your password.",
  SessionRequired: "Please sign in.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string; callbackUrl?: string }> }) {
  if (await currentUser()) redirect("/dashboard");
  const { error, callbackUrl } = await searchParams;
  const e = env();
  // only same-site paths: never send a freshly signed-in admin to another origin
  const next = callbackUrl && callbackUrl.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/dashboard";
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <div className="mx-auto mb-3 flex h-12 w-12 items-center justify-center rounded-xl bg-brand text-xl font-bold text-white">D</div>
          <h1 className="text-2xl font-semibold">Sign in to Deputy</h1>
          <p className="mt-1 text-sm text-slate-500">Identity and authorization for AI agents</p>
        </div>
        <SignInForm
          next={next}
          sso={e.OIDC_ISSUER ? { name: e.OIDC_NAME } : null}
          initialError={error ? (ERRORS[error] ?? "Sign-in failed. Try again.") : null}
        />
      </div>
    </main>
  );
}
