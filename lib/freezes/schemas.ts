// The inputs of the freeze use cases (incident mode), parsed with zod at every boundary.
import { z } from "zod";
import { multilineText } from "@/lib/resources/free-text";
import { nodeRefSchema } from "@/lib/resources/schemas";

export const createFreezeInput = z.object({
  /** a node id or path: freeze the agents whose grants reach that subtree; absent or null: freeze every agent */
  node: nodeRefSchema.nullable().optional(),
  reason: multilineText(500).optional(),
});
export type CreateFreezeInput = z.input<typeof createFreezeInput>;

export const listFreezesQuery = z.object({
  /** only the freezes in force */
  active: z.enum(["true", "false"]).optional(),
});
export type ListFreezesQuery = z.input<typeof listFreezesQuery>;
