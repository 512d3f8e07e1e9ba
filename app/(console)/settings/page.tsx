import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { requireConsoleUser } from "@/lib/auth/console-user";
import { SESSION_MAX_AGE_SECONDS } from "@/lib/auth/options";
import { databaseProvider } from "@/lib/db/client";
import { env } from "@/lib/env";
import { getDb } from "@/lib/db/client";
import { listSigningKeys } from "@/lib/keys/list-signing-keys";
import { getAlertSettings } from "@/lib/alerts/settings";
import { AlertSettingsCard } from "./_components/alert-settings";
import { SigningKeys } from "./_components/signing-keys";

export const metadata: Metadata = { title: "Settings" };

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex items-center justify-between gap-4 px-4 py-3 text-sm">
      <span className="text-slate-500">{label}</span>
      <span className="text-right">{children}</span>
    </div>
  );
}

export default async function SettingsPage() {
  await requireConsoleUser("settings");
  const e = env();
  return (
    <>
      <PageHeader title="Settings" description="How this Deputy instance is configured. Environment variables are described in the README." />
      <div className="grid gap-6 lg:grid-cols-2">
        <section className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white shadow-sm">
          <h2 className="px-4 py-3 font-semibold">Instance</h2>
          <Row label="Public URL">{e.NEXTAUTH_URL}</Row>
          <Row label="Database">{databaseProvider() === "postgresql" ? "PostgreSQL" : "SQLite"}</Row>
          <Row label="Master key">{e.DEPUTY_MASTER_KEY ? "from DEPUTY_MASTER_KEY" : "key file in the data directory"}</Row>
          <Row label="Console sessions">{SESSION_MAX_AGE_SECONDS / 3600} hours</Row>
          <Row label="Single sign-on">
            {e.OIDC_ISSUER ? <Badge tone="green">{e.OIDC_NAME}: {e.OIDC_ISSUER}</Badge> : <Badge>not configured</Badge>}
          </Row>
        </section>
        <section className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
          <h2 className="font-semibold">Automation</h2>
          <p className="mt-1 text-sm text-slate-500">Admin API keys let scripts call the JSON API with admin rights; webhooks send signed events to your systems.</p>
          <div className="mt-4 flex gap-4 text-sm">
            <Link href="/settings/api-keys" className="font-medium text-brand hover:underline">
              Manage API keys
            </Link>
            <Link href="/settings/webhooks" className="font-medium text-brand hover:underline">
              Webhooks
            </Link>
            <Link href="/settings/client-registration" className="font-medium text-brand hover:underline">
              Client registration
            </Link>
            <a href="/api/v1/openapi.json" className="font-medium text-brand hover:underline">
              OpenAPI document
            </a>
          </div>
        </section>
        <section className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
          <h2 className="font-semibold">Kill switch</h2>
          <p className="mt-1 text-sm text-slate-500">Prove the kill switch works: a live drill on a canary agent, timed from the switch to effect.</p>
          <div className="mt-4 text-sm">
            <Link href="/settings/drills" className="font-medium text-brand hover:underline">
              Kill-switch drills
            </Link>
          </div>
        </section>
        <AlertSettingsCard initial={await getAlertSettings(getDb())} />
        <SigningKeys initialKeys={await listSigningKeys(getDb())} />
      </div>
    </>
  );
}
