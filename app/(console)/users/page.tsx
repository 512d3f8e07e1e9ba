import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { requireConsoleUser } from "@/lib/auth/console-user";
import { getDb } from "@/lib/db/client";
import { listUsers } from "@/lib/users/list-users";
import { UsersTable } from "./_components/users-table";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const me = await requireConsoleUser("users");
  const users = await listUsers(getDb());
  return (
    <>
      <PageHeader title="Users" description="People who use the console. Roles: admin, approver, auditor, viewer." />
      <UsersTable initialUsers={users} currentUserId={me.id} />
    </>
  );
}
