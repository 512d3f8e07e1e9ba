import { describe, expect, it } from "vitest";
import { ancestors, nodePath, pathsAlong } from "./paths";
import type { SnapshotNode } from "./types";

const tree = (rows: [id: string, parentId: string | null, name?: string][]) => ({
  nodes: new Map<string, SnapshotNode>(rows.map(([id, parentId, name]) => [id, { id, parentId, type: "folder", name: name ?? id }])),
});

const acme = tree([
  ["acme", null],
  ["platform", "acme"],
  ["api", "platform"],
  ["main", "api", "branch:main"],
  ["prod", "acme"],
]);

describe("ancestors", () => {
  const cases: [name: string, snapshot: ReturnType<typeof tree>, nodeId: string, chain: string[]][] = [
    ["a root is its own chain", acme, "acme", ["acme"]],
    ["the node first, the root last", acme, "main", ["main", "api", "platform", "acme"]],
    ["a sibling subtree is not on the chain", acme, "prod", ["prod", "acme"]],
    ["an unknown node has no chain", acme, "nope", []],
    ["a dangling parent ends the chain", tree([["a", "gone"], ["b", "a"]]), "b", ["b", "a"]],
    ["a cycle stops at the first repeat", tree([["a", "b"], ["b", "c"], ["c", "a"], ["d", "a"]]), "d", ["d", "a", "b", "c"]],
    ["a node that is its own parent", tree([["a", "a"]]), "a", ["a"]],
  ];
  it.each(cases)("%s", (_, snapshot, nodeId, chain) => {
    expect(ancestors(snapshot, nodeId)).toEqual(chain);
  });

  it("walks a long chain (10,000 levels) and a long cycle without looping or going quadratic", () => {
    const n = 10_000;
    const line = tree(Array.from({ length: n }, (_, i) => [`n${i}`, i === 0 ? null : `n${i - 1}`] as [string, string | null]));
    expect(ancestors(line, `n${n - 1}`)).toHaveLength(n);
    const ring = tree(Array.from({ length: n }, (_, i) => [`n${i}`, `n${(i + 1) % n}`] as [string, string | null]));
    const chain = ancestors(ring, "n0");
    expect(chain).toHaveLength(n);
    expect(new Set(chain).size).toBe(n);
  });
});

describe("nodePath", () => {
  it.each([
    ["acme", "acme"],
    ["platform", "acme/platform"],
    ["main", "acme/platform/api/branch:main"],
    ["prod", "acme/prod"],
    ["nope", ""],
  ])("%s -> %s", (nodeId, path) => {
    expect(nodePath(acme, nodeId)).toBe(path);
  });

  it("names every node of a chain at once", () => {
    expect(pathsAlong(acme, ["main", "api", "platform", "acme"])).toEqual([
      "acme/platform/api/branch:main",
      "acme/platform/api",
      "acme/platform",
      "acme",
    ]);
  });
});
