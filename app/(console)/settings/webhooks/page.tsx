import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { requireConsoleUser } from "@/lib/auth/console-user";
import { getDb } from "@/lib/db/client";
import { listWebhooks } from "@/lib/webhooks/list-webhooks";
import { WebhooksPanel } from "./_components/webhooks-panel";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  await requireConsoleUser("settings");
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Signed JSON events sent to your systems (approval requests and decisions, killed agents, alerts, the audit stream), retried with backoff. Verify the Deputy-Webhook-Signature header with the webhook's secret."
      />
      <WebhooksPanel initialWebhooks={await listWebhooks(getDb())} />
    </>
  );
}
