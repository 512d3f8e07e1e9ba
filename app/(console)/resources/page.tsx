import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { TREE_PAGE_SIZE } from "@/components/queries";
import { requireConsoleUser } from "@/lib/auth/console-user";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { getNode } from "@/lib/resources/get-node";
import { listChildren } from "@/lib/resources/list-children";
import { listNodeTypes } from "@/lib/resources/list-node-types";
import { ResourceExplorer } from "./_components/resource-explorer";

export const metadata: Metadata = { title: "Resources" };

export default async function ResourcesPage({ searchParams }: { searchParams: Promise<{ node?: string | string[] }> }) {
  const me = await requireConsoleUser("resources");
  const db = getDb();
  const { node } = await searchParams;
  const ref = typeof node === "string" && node.trim() ? node : null;
  const [roots, nodeTypes, selected] = await Promise.all([
    listChildren(db, { limit: TREE_PAGE_SIZE }),
    listNodeTypes(db),
    // a ?node= that names no node (deleted since the link was made) just selects nothing
    ref
      ? getNode(db, ref).catch((e: unknown) => {
          if (e instanceof AppError && (e.code === "not_found" || e.code === "bad_request" || e.code === "validation_failed")) return null;
          throw e;
        })
      : Promise.resolve(null),
  ]);
  return (
    <>
      <PageHeader
        title="Resources"
        description="The tree that grants hang on: a grant on a node applies to it and everything below it, never to its siblings or ancestors."
        actions={
          <Link href="/resources/node-types" className="whitespace-nowrap text-sm text-brand hover:underline">
            Node types
          </Link>
        }
      />
      <ResourceExplorer
        initialRoots={roots}
        initialNodeTypes={nodeTypes}
        initialNode={selected}
        canWrite={me.role === "admin"}
        canSimulate={me.role === "admin" || me.role === "auditor"}
        canListUsers={me.role === "admin"}
      />
    </>
  );
}
