import type { Actor } from "@/lib/audit/actor";
import type { DbClient } from "@/lib/db/client";
import { createNode } from "@/lib/resources/create-node";
import { createNodeType } from "@/lib/resources/create-node-type";
import { deleteNode } from "@/lib/resources/delete-node";
import { deleteNodeType } from "@/lib/resources/delete-node-type";
import { getNode } from "@/lib/resources/get-node";
import { listChildren } from "@/lib/resources/list-children";
import { listNodeTypes } from "@/lib/resources/list-node-types";
import { moveNode } from "@/lib/resources/move-node";
import { previewNodeDelete } from "@/lib/resources/preview-node-delete";
import type { ChildNodeView } from "@/lib/resources/node-view";
import { renameNode } from "@/lib/resources/rename-node";
import { updateNodeType } from "@/lib/resources/update-node-type";
import { type Output, print, table, UsageError } from "../output";
import { first, type Flags, need, optional } from "./flags";

export async function nodeCommand(db: DbClient, sub: string | undefined, flags: Flags, positionals: string[], actor: Actor, o: Output) {
  switch (sub) {
    case "create": {
      const node = await createNode(db, { type: need(flags, "type"), name: need(flags, "name"), parent: optional(flags, "parent") }, actor);
      return print(o, node, `created ${node.id} (${node.type} ${node.path})`);
    }
    case "get": {
      const node = await getNode(db, first(positionals, "node get <id|path>"));
      return print(o, node, () =>
        [`${node.id}  ${node.type}  ${node.path}`, `children: ${node.childCount}  grants: ${node.grantCount}`].join("\n"),
      );
    }
    case "list": {
      const nodes: ChildNodeView[] = [];
      let parent = null;
      for (let cursor: string | undefined; ; ) {
        const page = await listChildren(db, { parent: optional(flags, "parent"), cursor, limit: 500 });
        parent = page.parent;
        nodes.push(...page.nodes);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return print(o, { parent, nodes }, () => table(nodes, ["id", "type", "name", "path", "childCount"]));
    }
    case "rename": {
      const node = await renameNode(db, first(positionals, "node rename <id|path> --name N"), { name: need(flags, "name") }, actor);
      return print(o, node, `renamed ${node.id} to ${node.path}`);
    }
    case "move": {
      const ref = first(positionals, "node move <id|path> --parent <id|path> | --root");
      if (flags.root !== true && optional(flags, "parent") === undefined) throw new UsageError("node move needs --parent <id|path> or --root");
      const node = await moveNode(db, ref, { parent: flags.root === true ? null : need(flags, "parent") }, actor);
      return print(o, node, `moved ${node.id} to ${node.path}`);
    }
    case "delete": {
      const ref = first(positionals, "node delete <id|path> [--cascade [--dry-run | --digest D]]");
      if (flags["dry-run"] === true) {
        // lists everything (up to the preview's maximum); --digest with the printed digest then deletes exactly that
        const p = await previewNodeDelete(db, ref, { limit: 5000 });
        return print(o, p, () =>
          [
            `would delete ${p.node.path}: ${p.nodeCount} ${p.nodeCount === 1 ? "node" : "nodes"}, ${p.grantCount} ${p.grantCount === 1 ? "grant" : "grants"}` +
              (p.cascadeRequired ? " (needs --cascade)" : ""),
            ...p.nodes.map((n) => `  node   ${n.path}  (${n.type})`),
            ...p.grants.map((g) => `  grant  ${g.id}  ${g.principal.type} ${g.principal.label}  ${g.role ? `role ${g.role.name}` : `tool ${g.tool?.name}`}  on ${g.node.path}  ${g.status}`),
            ...(p.nodeCount > p.nodes.length || p.grantCount > p.grants.length ? [`  and ${p.nodeCount - p.nodes.length} more nodes, ${p.grantCount - p.grants.length} more grants`] : []),
            `digest: ${p.digest}`,
          ].join("\n"),
        );
      }
      const r = await deleteNode(db, ref, { cascade: flags.cascade === true, digest: optional(flags, "digest") }, actor);
      return print(o, r, `deleted ${r.path}: ${r.nodeCount} ${r.nodeCount === 1 ? "node" : "nodes"}, ${r.grantCount} ${r.grantCount === 1 ? "grant" : "grants"}`);
    }
    default:
      throw new UsageError(`unknown node command: ${sub ?? "(none)"}`);
  }
}

export async function nodeTypeCommand(db: DbClient, sub: string | undefined, flags: Flags, positionals: string[], actor: Actor, o: Output) {
  switch (sub) {
    case "list": {
      const types = await listNodeTypes(db);
      return print(o, types, () => table(types.map((t) => ({ ...t, builtIn: t.builtIn ? "yes" : "" })), ["name", "icon", "builtIn"]));
    }
    case "create": {
      const t = await createNodeType(db, { name: need(flags, "name"), icon: optional(flags, "icon") as never }, actor); // icon validated by createNodeTypeInput
      return print(o, t, `created node type ${t.name} (icon ${t.icon})`);
    }
    case "update": {
      const t = await updateNodeType(db, first(positionals, "node-type update <name> --icon I"), { icon: need(flags, "icon") as never }, actor);
      return print(o, t, `node type ${t.name} now shows icon ${t.icon}`);
    }
    case "delete": {
      const t = await deleteNodeType(db, first(positionals, "node-type delete <name>"), actor);
      return print(o, t, `deleted node type ${t.name}`);
    }
    default:
      throw new UsageError(`unknown node-type command: ${sub ?? "(none)"}`);
  }
}
