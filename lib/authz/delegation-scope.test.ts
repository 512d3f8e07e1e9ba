// The token's own delegation, as a table: tree + authorization_details + request -> inside or not, and why.
import { describe, expect, it } from "vitest";
import type { ResourceDetail } from "@/lib/oauth/access-token";
import { checkDelegationScope } from "./delegation-scope";
import type { LoadedAuthz } from "./load-snapshot";
import type { SnapshotNode } from "./types";

// acme / prod / api, acme / staging
const nodes: SnapshotNode[] = [
  { id: "res_acme", parentId: null, type: "organization", name: "acme" },
  { id: "res_prod", parentId: "res_acme", type: "folder", name: "prod" },
  { id: "res_api", parentId: "res_prod", type: "folder", name: "api" },
  { id: "res_staging", parentId: "res_acme", type: "folder", name: "staging" },
];
const children = new Map<string, Map<string, SnapshotNode[]>>();
for (const n of nodes) {
  const byName = children.get(n.parentId ?? "") ?? new Map<string, SnapshotNode[]>();
  byName.set(n.name, [...(byName.get(n.name) ?? []), n]);
  children.set(n.parentId ?? "", byName);
}
const loaded = {
  snapshot: { nodes: new Map(nodes.map((n) => [n.id, n])), tools: new Map(), grantsByPrincipal: new Map(), labels: new Map() },
  children,
  userIdsByEmail: new Map(),
} as unknown as LoadedAuthz;

const NOW = 1_800_000_000_000;
const d = (node: string, tools: string[], expiry?: number): ResourceDetail => ({ type: "deputy_resource", node, tools, ...(expiry ? { expiry } : {}) });

describe("checkDelegationScope", () => {
  it.each([
    ["no details: bounded by scope and grants only", undefined, "res_staging", "read", true],
    ["only details of other types: not limited", [{ type: "other" }], "res_staging", "read", true],
    ["the node itself", [d("res_prod", ["read"])], "res_prod", "read", true],
    ["below the node", [d("res_prod", ["read"])], "res_api", "read", true],
    ["a path names the node too", [d("acme/prod", ["read"])], "res_api", "read", true],
    ["a sibling", [d("res_prod", ["read"])], "res_staging", "read", false],
    ["the parent", [d("res_prod", ["read"])], "res_acme", "read", false],
    ["a tool the detail does not list", [d("res_prod", ["read"])], "res_api", "write", false],
    ["expired detail", [d("res_prod", ["read"], NOW / 1000)], "res_api", "read", false],
    ["one of two details covers", [d("res_staging", ["read"]), d("res_prod", ["read"])], "res_api", "read", true],
    ["a deleted node covers nothing", [d("res_gone", ["read"])], "res_api", "read", false],
  ] as const)("%s", (_, details, nodeId, tool, ok) => {
    const claims = details === undefined ? {} : { authorization_details: details as unknown as ResourceDetail[] };
    expect(checkDelegationScope(loaded, claims, tool, nodeId, NOW).ok).toBe(ok);
  });

  it("says where the token is limited to, and why it is refused", () => {
    const claims = { authorization_details: [d("res_prod", ["read"], NOW / 1000)] };
    expect(checkDelegationScope(loaded, claims, "read", "res_staging", NOW)).toEqual({
      ok: false,
      message: "acme/staging is outside the token's delegation: the token is delegated for acme/prod only",
    });
    expect(checkDelegationScope(loaded, claims, "write", "res_api", NOW)).toEqual({ ok: false, message: "The token's delegation for acme/prod/api does not include write" });
    expect(checkDelegationScope(loaded, claims, "read", "res_api", NOW)).toEqual({ ok: false, message: "The token's delegation for read on acme/prod/api has expired" });
  });
});
