// "A node id or a path wherever a node is asked for": res_... ids, or tree paths resolved from the roots down.
import type { ResourceNode } from "@/generated/sqlite/client";
import type { Prisma } from "@/generated/sqlite/client";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors/app-error";
import { pathsOf } from "./node-view";
import { formatSegment, joinPath, parseNodePath } from "./paths";

const NODE_ID = /^res_[0-9a-z]{26}$/;

export function isNodeId(ref: string): boolean {
  return NODE_ID.test(ref.trim());
}

/** The node with this id, or a 404. */
export async function nodeById(db: Db, id: string): Promise<ResourceNode> {
  const node = await db.resourceNode.findUnique({ where: { id } });
  if (!node) throw notFound("Resource node");
  return node;
}

/**
 * Resolves a path segment by segment from the roots: `name` matches a child by name, `type:name` by type and name.
 * Names are unique among siblings, so a segment matches at most one node, except where duplicate roots slipped in
 * (root names are checked by the use cases, not by an index): then the answer is a 400 listing the candidates.
 * A missing segment is a 404 that names it.
 */
export async function resolveNodePath(db: Db, path: string): Promise<ResourceNode> {
  const segments = parseNodePath(path);
  let current: ResourceNode | null = null;
  const walked: string[] = [];
  for (const segment of segments) {
    const where: Prisma.ResourceNodeWhereInput = { parentId: current?.id ?? null, name: segment.name, ...(segment.type ? { type: segment.type } : {}) };
    const matches: ResourceNode[] = await db.resourceNode.findMany({ where, take: 20, orderBy: { id: "asc" } });
    const shown = formatSegment(segment);
    if (matches.length === 0) {
      const where = walked.length === 0 ? `no root "${shown}"` : `no "${shown}" under ${joinPath(walked)}`;
      throw new AppError("not_found", `Resource node not found: ${where}`);
    }
    if (matches.length > 1) {
      const paths = await pathsOf(db, matches);
      const candidates = matches.map((m) => ({ id: m.id, type: m.type, path: paths.get(m.id)! }));
      const at = walked.length === 0 ? "at the root" : `under ${joinPath(walked)}`;
      throw new AppError(
        "bad_request",
        `Path segment "${shown}" ${at} is ambiguous: ${matches.length} nodes match; name the node by its id`,
        candidates,
      );
    }
    current = matches[0]!;
    walked.push(current.name);
  }
  return current!;
}

/** A node by id (res_...) or by path. */
export async function resolveNodeRef(db: Db, ref: string): Promise<ResourceNode> {
  const trimmed = ref.trim();
  return isNodeId(trimmed) ? nodeById(db, trimmed) : resolveNodePath(db, trimmed);
}

/**
 * A node reference from a URL path segment (/resources/{nodeId}): an id, or a path sent percent-encoded
 * (acme%2Fplatform). Whether a framework hands the segment over decoded differs between versions and deployments, so
 * a still-encoded one is decoded here, once; a literal "%" that is not an escape is left as it is.
 */
export function nodeRefFromUrl(segment: string): string {
  if (!/%[0-9A-Fa-f]{2}/.test(segment)) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
