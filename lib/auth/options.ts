// next-auth configuration: email + password for everyone, and an optional OpenID Connect provider (OIDC_* variables).
// Sessions are JWTs in an httpOnly, SameSite=Lax cookie carrying only the user id and session epoch; every request
// re-reads the user (lib/auth/session.ts), so disabling a user or changing their role takes effect at once.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { recordAuditEvent } from "@/lib/audit/record-event";
import { deriveKey } from "@/lib/crypto/master-key";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { clientAddress } from "@/lib/http/client-address";
import { signInWithPassword } from "./sign-in-with-password";
import { signInWithSso } from "./sign-in-with-sso";

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;
export const SSO_PROVIDER_ID = "oidc";

/** NEXTAUTH_SECRET, or a key derived from the master key so that a fresh install needs no configuration. */
export function sessionSecret(): string {
  return env().NEXTAUTH_SECRET ?? deriveKey("nextauth-session-v1").toString("base64url");
}

function ssoProvider(): NextAuthOptions["providers"] {
  const e = env();
  if (!e.OIDC_ISSUER || !e.OIDC_CLIENT_ID || !e.OIDC_CLIENT_SECRET) return [];
  return [
    {
      id: SSO_PROVIDER_ID,
      name: e.OIDC_NAME,
      type: "oauth",
      wellKnown: `${e.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state", "nonce"],
      client: { id_token_signed_response_alg: e.OIDC_ID_TOKEN_ALG },
      profile: (p: { sub: string; email?: string; name?: string; email_verified?: boolean }) => ({
        id: p.sub,
        email: p.email ?? null,
        name: p.name ?? null,
        emailVerified: p.email_verified ?? null,
      }),
    },
  ];
}

let cached: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  // next-auth reads NEXTAUTH_URL itself (callback URLs, secure cookie names): give it the validated default too
  process.env.NEXTAUTH_URL ??= env().NEXTAUTH_URL;
  return (cached ??= {
    secret: sessionSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          if (!credentials?.email || !credentials.password) return null;
          const headers = new Headers(req.headers as Record<string, string>);
          try {
            const user = await signInWithPassword(getDb(), {
              email: credentials.email,
              password: credentials.password,
              address: clientAddress(headers),
            });
            return user ? { id: user.id, email: user.email, name: user.name, epoch: user.sessionEpoch } : null;
          } catch {
            return null; // rate limited: the route answers 429 before reaching here (lib/auth/route-handler.ts)
          }
        },
      }),
      ...ssoProvider(),
    ],
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== SSO_PROVIDER_ID) return true;
        const signedIn = await signInWithSso(getDb(), {
          email: user.email ?? "",
          emailVerified: (profile as { email_verified?: boolean } | undefined)?.email_verified !== false,
          subject: account.providerAccountId,
        });
        if (!signedIn) return "/sign-in?error=SsoNoAccount";
        Object.assign(user, { id: signedIn.id, epoch: signedIn.sessionEpoch });
        return true;
      },
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.epoch = (user as { epoch?: number }).epoch ?? 0;
        }
        return token;
      },
      session({ session, token }) {
        if (session.user) (session.user as { id?: string }).id = token.uid as string;
        return session;
      },
    },
    events: {
      async signOut({ token }) {
        const uid = token?.uid;
        if (typeof uid !== "string") return;
        const user = await getDb().user.findUnique({ where: { id: uid } });
        if (user) await recordAuditEvent(getDb(), { actor: { type: "user", id: user.id, label: user.email }, action: "auth.sign_out" });
      },
    },
  });
}
