import type { NodeType } from "@/generated/sqlite/client";

export type NodeTypeView = { name: string; icon: string; builtIn: boolean; createdAt: string };

export function toNodeTypeView(t: NodeType): NodeTypeView {
  return { name: t.name, icon: t.icon, builtIn: t.builtIn, createdAt: t.createdAt.toISOString() };
}
