import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { requireConsoleUser } from "@/lib/auth/console-user";
import { getDb } from "@/lib/db/client";
import { listRoles } from "@/lib/roles/list-roles";
import { listTools } from "@/lib/tools/list-tools";
import { RolesTable } from "./_components/roles-table";
import { ToolsTable } from "./_components/tools-table";

export const metadata: Metadata = { title: "Tools & roles" };

export default async function ToolsPage() {
  const me = await requireConsoleUser("tools");
  const db = getDb();
  const [tools, roles] = await Promise.all([listTools(db), listRoles(db)]);
  const canWrite = me.role === "admin";
  return (
    <>
      <PageHeader
        title="Tools & roles"
        description="The tools agents call, with their risk, and the roles that bundle them. Grants give a role or a single tool on a part of the resource tree."
      />
      <div className="space-y-6">
        <ToolsTable initialTools={tools} canWrite={canWrite} />
        <RolesTable initialRoles={roles} canWrite={canWrite} />
      </div>
    </>
  );
}
