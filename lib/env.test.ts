import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env";

const DB_MESSAGE = "must be file:<path> for SQLite or postgresql://user:password@host:port/database for PostgreSQL";
const KEY_MESSAGE = "must be 32 bytes, base64-encoded (openssl rand -base64 32)";
const OIDC_MESSAGE = "OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together (or none of them)";
const KEY_32 = Buffer.alloc(32, 7).toString("base64");

function configError(source: Record<string, string | undefined>): ConfigError {
  try {
    parseEnv(source);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`parseEnv accepted ${JSON.stringify(source)}`);
}

describe("parseEnv", () => {
  it("fills defaults for an empty environment", () => {
    expect(parseEnv({})).toEqual({
      DATABASE_URL: "file:./data/deputy.db",
      NODE_ENV: "development",
      NEXTAUTH_URL: "http://localhost:3000",
      DEPUTY_DATA_DIR: "./data",
      DEPUTY_TRUST_PROXY: false,
      DEPUTY_MAX_JSON_BYTES: 1_048_576,
      DEPUTY_WEBHOOK_ALLOW_PRIVATE: false,
      DEPUTY_MAX_DELEGATION_DEPTH: 3,
      OIDC_NAME: "SSO",
      OIDC_ID_TOKEN_ALG: "RS256",
    });
  });

  it("accepts a provider's ID token algorithm and refuses an unknown or symmetric one", () => {
    expect(parseEnv({ OIDC_ID_TOKEN_ALG: "ES256" }).OIDC_ID_TOKEN_ALG).toBe("ES256");
    expect(() => parseEnv({ OIDC_ID_TOKEN_ALG: "HS256" })).toThrow(/OIDC_ID_TOKEN_ALG/);
  });

  it("treats empty strings as unset", () => {
    const e = parseEnv({
      DATABASE_URL: "",
      NODE_ENV: "",
      NEXTAUTH_URL: "",
      NEXTAUTH_SECRET: "",
      DEPUTY_MASTER_KEY: "",
      DEPUTY_TRUST_PROXY: "",
      DEPUTY_MAX_JSON_BYTES: "",
      OIDC_ISSUER: "",
      OIDC_CLIENT_ID: "",
      OIDC_CLIENT_SECRET: "",
    });
    expect(e).toEqual(parseEnv({}));
  });

  it.each([
    "file:./data/deputy.db",
    "file:/var/lib/deputy/deputy.db",
    "postgresql://deputy:secret@db.internal:5432/deputy",
    "postgres://deputy:secret@127.0.0.1/deputy?sslmode=require",
  ])("accepts DATABASE_URL=%s", (url) => {
    expect(parseEnv({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
  });

  it.each([
    "mysql://x",
    "file:",
    "sqlite:./deputy.db",
    "./data/deputy.db",
    "postgres:// not a host",
    "postgresql://user:pw@host:99999/db",
    "postgresql://user:pw@[::1/db",
    "https://db.example.com/deputy",
  ])("refuses DATABASE_URL=%j with a ConfigError naming DATABASE_URL", (url) => {
    const e = configError({ DATABASE_URL: url });
    expect(e.name).toBe("ConfigError");
    expect(e.message).toBe(`Invalid configuration:\n  DATABASE_URL: ${DB_MESSAGE}`);
  });

  it("accepts a 32-byte base64 master key", () => {
    expect(parseEnv({ DEPUTY_MASTER_KEY: KEY_32 }).DEPUTY_MASTER_KEY).toBe(KEY_32);
  });

  it.each([
    ["31 bytes", Buffer.alloc(31, 7).toString("base64")],
    ["33 bytes", Buffer.alloc(33, 7).toString("base64")],
    ["64 hex characters (32 bytes, but hex)", Buffer.alloc(32, 7).toString("hex")],
    ["a word", "changeme"],
  ])("refuses a master key of %s", (_, key) => {
    expect(configError({ DEPUTY_MASTER_KEY: key }).message).toBe(`Invalid configuration:\n  DEPUTY_MASTER_KEY: ${KEY_MESSAGE}`);
  });

  const oidc = { OIDC_ISSUER: "https://idp.example.com", OIDC_CLIENT_ID: "deputy", OIDC_CLIENT_SECRET: "s3cret" };

  it("accepts all three OIDC_* variables together", () => {
    expect(parseEnv(oidc)).toMatchObject(oidc);
  });

  it.each([
    ["only the issuer", { OIDC_ISSUER: oidc.OIDC_ISSUER }],
    ["only the client id", { OIDC_CLIENT_ID: oidc.OIDC_CLIENT_ID }],
    ["issuer and id, no secret", { OIDC_ISSUER: oidc.OIDC_ISSUER, OIDC_CLIENT_ID: oidc.OIDC_CLIENT_ID }],
    ["id and secret, empty issuer", { ...oidc, OIDC_ISSUER: "" }],
  ])("refuses OIDC_* partially set: %s", (_, source) => {
    expect(configError(source).message).toBe(`Invalid configuration:\n  OIDC_ISSUER: ${OIDC_MESSAGE}`);
  });

  it("names every bad variable at once", () => {
    const e = configError({ DATABASE_URL: "mysql://x", DEPUTY_MASTER_KEY: "short", NEXTAUTH_SECRET: "too short" });
    expect(e.message.split("\n")).toEqual([
      "Invalid configuration:",
      `  DATABASE_URL: ${DB_MESSAGE}`,
      "  NEXTAUTH_SECRET: must be at least 32 characters",
      `  DEPUTY_MASTER_KEY: ${KEY_MESSAGE}`,
    ]);
  });

  it.each([
    ["1", true],
    ["true", true],
    ["yes", true],
    ["0", false],
    ["false", false],
    ["no", false],
  ])("reads DEPUTY_TRUST_PROXY=%s as %s", (value, expected) => {
    expect(parseEnv({ DEPUTY_TRUST_PROXY: value }).DEPUTY_TRUST_PROXY).toBe(expected);
  });

  it("refuses an unknown flag value and an out-of-range body limit", () => {
    expect(configError({ DEPUTY_TRUST_PROXY: "maybe" }).message).toMatch(/^Invalid configuration:\n {2}DEPUTY_TRUST_PROXY: /);
    expect(configError({ DEPUTY_MAX_JSON_BYTES: "100" }).message).toMatch(/^Invalid configuration:\n {2}DEPUTY_MAX_JSON_BYTES: /);
    expect(parseEnv({ DEPUTY_MAX_JSON_BYTES: "2048" }).DEPUTY_MAX_JSON_BYTES).toBe(2048);
  });

  it("refuses a NEXTAUTH_URL that is not http(s)", () => {
    expect(configError({ NEXTAUTH_URL: "ftp://deputy.example.com" }).message).toMatch(/^Invalid configuration:\n {2}NEXTAUTH_URL: /);
  });
});
