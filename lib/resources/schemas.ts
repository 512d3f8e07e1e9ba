// The inputs of the resource tree use cases, parsed with zod at every boundary (API, console, CLI). The OpenAPI
// document takes its request bodies and query parameters from these same schemas.
import { z } from "zod";
import { MAX_ACCESS_LIMIT } from "./access-limits";
import { freeText } from "./free-text";

/** A tree is at most this many levels deep: a root is level 1 (depth 0), its deepest descendant depth 31. */
export const MAX_TREE_LEVELS = 32;
export const MAX_NODE_NAME = 100;
export const MAX_CHILDREN_PAGE = 500;
export const SEARCH_LIMIT = 50;
/** 32 segments of `type:name` and their separators */
export const MAX_NODE_REF = 32 * (MAX_NODE_NAME + 42);

/**
 * A node's name: a path segment. "/" separates segments and ":" separates a segment's type from its name, so neither
 * may appear in a name; that keeps every path unambiguous to parse.
 */
export const nodeNameSchema = freeText(MAX_NODE_NAME, 1).refine((v) => !/[/:]/.test(v), 'must not contain "/" or ":"');

export const NODE_TYPE_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
export const nodeTypeNameSchema = z
  .string()
  .trim()
  .regex(NODE_TYPE_PATTERN, "must be lower-case letters, digits and dashes, starting with a letter (at most 40)");

/** The icons the console draws for node types. */
export const NODE_ICONS = [
  "building",
  "layers",
  "briefcase",
  "folder",
  "book",
  "git-branch",
  "globe",
  "server",
  "box",
  "database",
  "cloud",
  "lock",
  "file",
  "user",
] as const;
export type NodeIcon = (typeof NODE_ICONS)[number];
export const nodeIconSchema = z.enum(NODE_ICONS, { message: `must be one of ${NODE_ICONS.join(", ")}` });

/** A node id (res_...) or a tree path such as acme/platform/api/branch:feature-xyz. */
export const nodeRefSchema = z.string().trim().min(1, "is required").max(MAX_NODE_REF, `must be at most ${MAX_NODE_REF} characters`);

export const createNodeTypeInput = z.object({
  name: nodeTypeNameSchema,
  icon: nodeIconSchema.default("folder"),
});
export type CreateNodeTypeInput = z.input<typeof createNodeTypeInput>;

/** A type's name is what its nodes carry (and paths may say, type:name): only its icon changes. */
export const updateNodeTypeInput = z.object({ icon: nodeIconSchema }).strict();
export type UpdateNodeTypeInput = z.input<typeof updateNodeTypeInput>;

export const createNodeInput = z.object({
  type: nodeTypeNameSchema,
  name: nodeNameSchema,
  /** the parent's id or path; absent or null: a new root */
  parent: nodeRefSchema.nullable().optional(),
});
export type CreateNodeInput = z.input<typeof createNodeInput>;

export const renameNodeInput = z.object({ name: nodeNameSchema });
export type RenameNodeInput = z.input<typeof renameNodeInput>;

export const moveNodeInput = z.object({
  /** the new parent's id or path; null makes the node a root */
  parent: nodeRefSchema.nullable(),
});
export type MoveNodeInput = z.input<typeof moveNodeInput>;

/** PATCH /resources/{nodeId}: a new name, a new parent (a move), or both. */
export const updateNodeInput = z
  .object({
    name: nodeNameSchema.optional(),
    /** the new parent's id or path; null makes the node a root */
    parentId: nodeRefSchema.nullable().optional(),
  })
  .strict()
  .refine((v) => v.name !== undefined || v.parentId !== undefined, { message: "give name and/or parentId", path: ["name"] });
export type UpdateNodeInput = z.input<typeof updateNodeInput>;

/** The digest of a delete preview (GET /resources/{nodeId}/delete-preview). */
export const subtreeDigestSchema = z.string().trim().regex(/^sha256:[0-9a-f]{64}$/, "must be the digest of a delete preview (sha256:...)");

export const deleteNodeInput = z.object({
  /** also delete every descendant and every grant on the subtree */
  cascade: z.boolean().default(false),
  /** with cascade: the preview's digest; refused with 409 when the subtree has changed since */
  digest: subtreeDigestSchema.optional(),
});
export type DeleteNodeInput = z.input<typeof deleteNodeInput>;

export const deleteNodeQuery = z.object({
  cascade: z.stringbool({ error: "must be true or false" }).default(false),
  digest: subtreeDigestSchema.optional(),
});

export const MAX_DELETE_PREVIEW = 5000;

export const deletePreviewQuery = z.object({
  /** how many nodes and how many grants to list (the counts and the digest always cover the whole subtree) */
  limit: z.coerce.number().int().min(1).max(MAX_DELETE_PREVIEW).default(500),
});
export type DeletePreviewQuery = z.input<typeof deletePreviewQuery>;

export const accessQuery = z.object({
  /** how many entries to list, nearest first (`total` always counts them all) */
  limit: z.coerce.number().int().min(1).max(MAX_ACCESS_LIMIT).default(100),
});
export type AccessQuery = z.input<typeof accessQuery>;

export const listChildrenQuery = z.object({
  /** the parent's id or path; absent: the roots */
  parent: nodeRefSchema.optional(),
  /** opaque, from the previous page's nextCursor */
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_CHILDREN_PAGE).default(100),
});
export type ListChildrenQuery = z.input<typeof listChildrenQuery>;

export const searchNodesQuery = z.object({
  /** part of a name, or a path prefix ("acme/plat": the children of acme whose names start with "plat") */
  q: z.string().trim().min(1, "is required").max(MAX_NODE_REF),
});
export type SearchNodesQuery = z.input<typeof searchNodesQuery>;

/** GET /resources: `path` resolves one node, `q` searches, otherwise the children of `parent` (or the roots). */
export const listResourcesQuery = listChildrenQuery.extend({
  q: z.string().trim().min(1).max(MAX_NODE_REF).optional(),
  path: nodeRefSchema.optional(),
});
