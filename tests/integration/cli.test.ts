// The `deputy` CLI as an operator runs it: a real process (node bin/deputy.mjs) against the test database, which
// it finds through the DATABASE_URL (and master key) that tests/setup/env.ts put into process.env. Each spawn
// costs about two seconds, so each test makes few.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { authenticateApiKey } from "@/lib/api-keys/authenticate-api-key";
import { hashSecret } from "@/lib/crypto/secret-hash";
import { getDb } from "@/lib/db/client";
import { redactDatabaseUrl } from "@/lib/db/url";
import { uniqueEmail } from "../helpers/factories";
import { deputy } from "../helpers/cli";

describe("deputy CLI", () => {
  it("user create: creates once (JSON with a generated password), refuses the duplicate and a bad email", async () => {
    const email = uniqueEmail("cli");
    const created = await deputy(["user", "create", "--email", email, "--role", "auditor", "--json"]);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const body = JSON.parse(created.stdout);
    expect(body.user).toMatchObject({ email, role: "auditor", status: "active", hasPassword: true });
    expect(body.generatedPassword).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(created.stdout).not.toContain("passwordHash");
    const row = await getDb().user.findUniqueOrThrow({ where: { email } });
    expect(row.id).toBe(body.user.id);
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: "user.create", targetId: row.id } });
    expect([event.actorType, event.actorId]).toEqual(["system", "cli"]);

    const again = await deputy(["user", "create", "--email", email, "--role", "auditor", "--json"]);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe("");
    expect(again.stderr).toBe(`deputy: A user with email ${email} already exists\n`);

    const bad = await deputy(["user", "create", "--email", "bad"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("deputy: email: must be an email address\n");
    expect(await getDb().user.count({ where: { email: "bad" } })).toBe(0);
  });

  it("api-key create prints only the key, which authenticates; api-key revoke ends it", async () => {
    const created = await deputy(["api-key", "create", "--name", "ci"]);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^dpk_[A-Za-z0-9_-]{43}\n$/);
    const key = created.stdout.trim();

    const actor = await authenticateApiKey(getDb(), key);
    expect(actor).toMatchObject({ type: "api_key", label: "ci" });
    const row = await getDb().apiKey.findUniqueOrThrow({ where: { hash: hashSecret(key) } });
    expect(row.id).toBe(actor.id);

    const revoked = await deputy(["api-key", "revoke", row.id]);
    expect(revoked.stderr).toBe("");
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe(`revoked ${row.id} (ci)\n`);
    await expect(authenticateApiKey(getDb(), key)).rejects.toMatchObject({ code: "unauthorized", message: "Invalid or revoked API key" });

    const twice = await deputy(["api-key", "revoke", row.id]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toBe("deputy: This API key is already revoked\n");
  });

  it("db status --json reports the provider, reachability and no pending migrations", async () => {
    const res = await deputy(["db", "status", "--json"]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const status = JSON.parse(res.stdout);
    expect(status).toMatchObject({
      provider: process.env.DEPUTY_TEST_DB_PROVIDER,
      url: redactDatabaseUrl(process.env.DATABASE_URL!),
      ok: true,
      database: "reachable",
      migrations: { pending: [] },
    });
    expect(status.migrations.applied.length).toBeGreaterThan(0);
    if (process.env.DEPUTY_TEST_DB_PROVIDER === "postgresql") {
      // the password never reaches the output
      const password = decodeURIComponent(new URL(process.env.DATABASE_URL!).password);
      expect(res.stdout).not.toContain(`:${password}@`);
      expect(status.url).toContain(":***@");
    }
  });

  it("an unknown command is a usage error: exit 2", async () => {
    const res = await deputy(["frobnicate"]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe("");
    expect(res.stderr).toMatch(/^deputy: unknown command: frobnicate\n\nUsage: deputy <command>/);
  });

  it("a bad DATABASE_URL is a configuration error: exit 2, naming the variable", async () => {
    const res = await deputy(["db", "status"], { DATABASE_URL: "mysql://x" });
    expect(res.code).toBe(2);
    expect(res.stdout).toBe("");
    expect(res.stderr).toBe(
      "deputy: Invalid configuration:\n  DATABASE_URL: must be file:<path> for SQLite or postgresql://user:password@host:port/database for PostgreSQL\n",
    );
  });

  // the installed `deputy` bin runs from anywhere: migrations are found relative to the CLI, not the cwd
  it("db status run outside the repository still sees the shipped migrations", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deputy-cli-cwd-"));
    try {
      // a database of its own, never migrated: the shared test database is not touched
      const res = await deputy(["db", "status", "--json"], { DATABASE_URL: `file:${path.join(dir, "empty.db")}`, DEPUTY_DATA_DIR: dir }, dir);
      const status = JSON.parse(res.stdout);
      expect(status.migrations.applied).toEqual([]);
      expect(status.migrations.pending.length).toBeGreaterThan(0);
      expect(res.code).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
