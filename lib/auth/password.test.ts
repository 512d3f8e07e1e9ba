import { describe, expect, it } from "vitest";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./password";

const PASSWORD = "correct horse battery staple";

describe("hashPassword / verifyPassword", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword(PASSWORD);
    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
    expect(await verifyPassword(PASSWORD.toUpperCase(), stored)).toBe(false);
  });

  it("stores the algorithm and its parameters with a random salt: two hashes of one password differ", async () => {
    const [a, b] = await Promise.all([hashPassword(PASSWORD), hashPassword(PASSWORD)]);
    expect(a).not.toBe(b);
    for (const stored of [a, b]) {
      const [alg, n, r, p, salt, key] = stored.split("$");
      expect([alg, n, r, p]).toEqual(["scrypt", "32768", "8", "1"]);
      expect(Buffer.from(salt!, "base64")).toHaveLength(16);
      expect(Buffer.from(key!, "base64")).toHaveLength(32);
      expect(stored).not.toContain(PASSWORD);
    }
    expect(a.split("$")[4]).not.toBe(b.split("$")[4]);
  });

  it("normalises to NFKC: the composed and decomposed spellings of a password are one password", async () => {
    const stored = await hashPassword("caf\u00e9 au lait 1234");
    expect(await verifyPassword("cafe\u0301 au lait 1234", stored)).toBe(true);
  });

  it("verifies against the parameters stored with the hash, so they can be raised later", async () => {
    // a hash made with cheaper parameters (N=2^14) still verifies
    const { scryptSync } = await import("node:crypto");
    const salt = Buffer.alloc(16, 1);
    const key = scryptSync(PASSWORD, salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const stored = `scrypt$16384$8$1$${salt.toString("base64")}$${key.toString("base64")}`;
    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
    expect(await verifyPassword("wrong", stored)).toBe(false);
  });

  it.each([
    ["empty", ""],
    ["not a hash", "garbage"],
    ["another algorithm", "bcrypt$2b$10$abcdefghijklmnopqrstuv"],
    ["no salt or key", "scrypt$32768$8$1"],
    ["an empty key", "scrypt$32768$8$1$c2FsdHNhbHRzYWx0c2E=$"],
    ["the plaintext password itself", PASSWORD],
  ])("a malformed stored hash (%s) answers false, not an error", async (_, stored) => {
    await expect(verifyPassword(PASSWORD, stored)).resolves.toBe(false);
  });

  // stored parameters are validated before scrypt sees them
  it.each([
    ["a non-numeric N", "scrypt$abc$8$1$c2FsdHNhbHRzYWx0c2E=$a2V5a2V5a2V5a2V5"],
    ["an N that is not a power of two", "scrypt$3$8$1$c2FsdHNhbHRzYWx0c2E=$a2V5a2V5a2V5a2V5"],
    ["r = 0", "scrypt$32768$0$1$c2FsdHNhbHRzYWx0c2E=$a2V5a2V5a2V5a2V5"],
    ["an N beyond 2^20 (unbounded memory)", "scrypt$1073741824$8$1$c2FsdHNhbHRzYWx0c2E=$a2V5a2V5a2V5a2V5"],
  ])("a stored hash with %s answers false, not an error", async (_, stored) => {
    await expect(verifyPassword(PASSWORD, stored)).resolves.toBe(false);
  });

  // a key part that decodes to nothing must not compare equal to an empty derivation (fail open)
  it.each([["="], ["!!!!"]])("a stored key part %j that decodes to nothing refuses any password", async (keyPart) => {
    const stored = `scrypt$32768$8$1$c2FsdHNhbHRzYWx0c2E=$${keyPart}`;
    await expect(verifyPassword("any password at all", stored)).resolves.toBe(false);
  });
});

describe("verifyAgainstDummy", () => {
  it("always answers false, whatever the password", async () => {
    await expect(verifyAgainstDummy("not-a-real-password")).resolves.toBe(false);
    await expect(verifyAgainstDummy(PASSWORD)).resolves.toBe(false);
  });
});
