import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { requireConsoleUser } from "@/lib/auth/console-user";
import { getDb } from "@/lib/db/client";
import { listInitialAccessTokens } from "@/lib/dcr/list-initial-access-tokens";
import { InitialAccessTokens } from "./_components/initial-access-tokens";

export const metadata: Metadata = { title: "Client registration" };

export default async function ClientRegistrationPage() {
  await requireConsoleUser("settings");
  return (
    <>
      <PageHeader
        title="Dynamic client registration"
        description="Initial access tokens let an agent or MCP client register itself at /oauth/register (RFC 7591). Each registers one client, which waits as a pending agent, owned by you, until an admin activates it."
      />
      <InitialAccessTokens initialTokens={await listInitialAccessTokens(getDb())} />
    </>
  );
}
