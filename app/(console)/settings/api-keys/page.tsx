import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { listApiKeys } from "@/lib/api-keys/list-api-keys";
import { requireConsoleUser } from "@/lib/auth/console-user";
import { getDb } from "@/lib/db/client";
import { ApiKeysTable } from "./_components/api-keys-table";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  await requireConsoleUser("apiKeys");
  return (
    <>
      <PageHeader
        title="Admin API keys"
        description="Keys for automation: Authorization: Bearer dpk_… on /api/v1. Each acts with the admin role; revoke what you do not use."
      />
      <ApiKeysTable initialKeys={await listApiKeys(getDb())} />
    </>
  );
}
