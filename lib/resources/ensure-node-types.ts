// The built-in node types. Seeded by the first-run seed and ensured lazily (ensureAuthzBuiltIns); idempotent.
import type { Db } from "@/lib/db/client";
import type { NodeIcon } from "./schemas";

export const BUILT_IN_NODE_TYPES: readonly { name: string; icon: NodeIcon }[] = [
  { name: "organization", icon: "building" },
  { name: "workspace", icon: "layers" },
  { name: "project", icon: "briefcase" },
  { name: "folder", icon: "folder" },
  { name: "repository", icon: "book" },
  { name: "branch", icon: "git-branch" },
  { name: "environment", icon: "globe" },
  { name: "service", icon: "server" },
];

/** Whether every built-in type exists (one query). */
export async function nodeTypesEnsured(db: Db): Promise<boolean> {
  const count = await db.nodeType.count({ where: { name: { in: BUILT_IN_NODE_TYPES.map((t) => t.name) }, builtIn: true } });
  return count === BUILT_IN_NODE_TYPES.length;
}

/**
 * Creates the missing built-in types. Upserts, so two instances doing it at once cannot fail on each other (both
 * providers answer an upsert on the primary key with INSERT ... ON CONFLICT). An admin's custom type that already
 * took a built-in name becomes the built-in one; its icon is kept.
 */
export async function ensureNodeTypes(db: Db): Promise<void> {
  for (const t of BUILT_IN_NODE_TYPES) {
    await db.nodeType.upsert({ where: { name: t.name }, create: { name: t.name, icon: t.icon, builtIn: true }, update: { builtIn: true } });
  }
}
