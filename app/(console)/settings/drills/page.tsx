import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { requireConsoleUser } from "@/lib/auth/console-user";
import { getDb } from "@/lib/db/client";
import { listDrills } from "@/lib/drills/list-drills";
import { DrillsPanel } from "./_components/drills-panel";

export const metadata: Metadata = { title: "Kill-switch drills" };

export default async function DrillsPage() {
  await requireConsoleUser("settings");
  return (
    <>
      <PageHeader
        title="Kill-switch drills"
        description="A drill creates a canary agent, gets it a real token, checks that a decision allows it, pulls the kill switch, and times how long until introspection and decisions both refuse the token. It passes under one second, and removes the canary afterwards."
      />
      <DrillsPanel initialDrills={await listDrills(getDb())} />
    </>
  );
}
