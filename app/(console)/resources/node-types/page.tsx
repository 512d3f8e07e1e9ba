import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { requireConsoleUser } from "@/lib/auth/console-user";
import { getDb } from "@/lib/db/client";
import { listNodeTypes } from "@/lib/resources/list-node-types";
import { NODE_ICONS } from "@/lib/resources/schemas";
import { NodeTypesTable } from "./_components/node-types-table";

export const metadata: Metadata = { title: "Node types" };

export default async function NodeTypesPage() {
  const me = await requireConsoleUser("resources");
  const nodeTypes = await listNodeTypes(getDb());
  return (
    <>
      <PageHeader
        title="Node types"
        description="The labels nodes of the resource tree carry, with the icon the tree draws for each. Types only label nodes: they change no decision."
        actions={
          <Link href="/resources" className="text-sm text-brand hover:underline">
            Back to the tree
          </Link>
        }
      />
      <NodeTypesTable initialNodeTypes={nodeTypes} icons={[...NODE_ICONS]} canWrite={me.role === "admin"} />
    </>
  );
}
