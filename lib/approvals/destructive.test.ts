import { describe, expect, it } from "vitest";
import { looksDestructive } from "./destructive";

describe("looksDestructive", () => {
  it.each([
    ["command", "rm -rf /var/data", true],
    ["sql", "DROP TABLE users", true],
    ["environment", "production", true],
    ["branch", "main", false],
    ["branch", "feature-login", false],
    ["amount", 120, true],
    ["retries", 3, false],
    ["force", true, true],
    ["force", false, false],
    ["dry_run", true, false],
    ["mode", "--force", true],
    ["target", "inv_1", false],
    ["note", "dropbox upload", false],
    ["nested", { a: "delete" }, false],
  ])("%s = %j -> %s", (key, value, expected) => {
    expect(looksDestructive(key, value)).toBe(expected);
  });
});
