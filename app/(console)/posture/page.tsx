import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { requireConsoleUser } from "@/lib/auth/console-user";
import { getDb } from "@/lib/db/client";
import { getPosture } from "@/lib/posture/load-posture-facts";
import { PostureItems } from "./_components/posture-items";

export const metadata: Metadata = { title: "Posture" };

export default async function PosturePage() {
  await requireConsoleUser("posture");
  const report = await getPosture(getDb());
  return (
    <>
      <PageHeader
        title="Posture"
        description="The agent-auth implementation checklist, evaluated against live data. Unknown means the data cannot show it either way."
      />
      <PostureItems report={report} />
    </>
  );
}
