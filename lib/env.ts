// The environment, parsed once at the boundary. A bad value stops the process with a message naming the variable.
import { z } from "zod";
import { DEFAULT_DATABASE_URL } from "./db/url";

const flag = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

function isPostgresUrl(v: string): boolean {
  if (!/^postgres(ql)?:\/\//.test(v) || !URL.canParse(v)) return false;
  const u = new URL(v);
  try {
    decodeURIComponent(u.username + u.password + u.pathname);
  } catch {
    return false;
  }
  // a host and a database name are required; the rest (port, credentials, options) may default
  return u.hostname.length > 0 && u.pathname.length > 1;
}

const databaseUrl = z
  .string()
  .default(DEFAULT_DATABASE_URL)
  .transform((v) => v || DEFAULT_DATABASE_URL)
  .refine(
    (v) => (v.startsWith("file:") && v.length > 5) || isPostgresUrl(v),
    "must be file:<path> for SQLite or postgresql://user:password@host:port/database for PostgreSQL",
  );

const envSchema = z
  .object({
    DATABASE_URL: databaseUrl,
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    NEXTAUTH_URL: z.url({ protocol: /^https?$/ }).default("http://localhost:3000"),
    NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    DEPUTY_DATA_DIR: z.string().min(1).default("./data"),
    DEPUTY_MASTER_KEY: z
      .string()
      .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64-encoded (openssl rand -base64 32)")
      .optional(),
    DEPUTY_TRUST_PROXY: flag,
    DEPUTY_MAX_JSON_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(1_048_576),
    /** lets webhooks target loopback, private and link-local addresses: local development and tests only */
    DEPUTY_WEBHOOK_ALLOW_PRIVATE: flag,
    /** the most actors a delegated token's chain (RFC 8693 act) may hold; token exchange refuses a deeper one */
    DEPUTY_MAX_DELEGATION_DEPTH: z.coerce.number().int().min(1).max(8).default(3),
    OIDC_ISSUER: z.url().optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_NAME: z.string().min(1).default("SSO"),
    /** the algorithm the provider signs ID tokens with (OpenID Connect's default is RS256) */
    OIDC_ID_TOKEN_ALG: z.enum(["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"]).default("RS256"),
  })
  .refine((e) => [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET].filter(Boolean).length % 3 === 0, {
    message: "OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together (or none of them)",
    path: ["OIDC_ISSUER"],
  });

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // treat empty strings as unset, as shells and .env files often leave them
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "environment"}: ${i.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
}

let cached: Env | undefined;
export function env(): Env {
  return (cached ??= parseEnv(process.env));
}
