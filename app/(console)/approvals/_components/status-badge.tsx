import { Badge } from "@/components/ui/badge";

const TONES = { pending: "amber", approved: "green", denied: "red", expired: "gray", cancelled: "gray" } as const;

export function ApprovalStatusBadge({ status }: { status: string }) {
  return <Badge tone={TONES[status as keyof typeof TONES] ?? "gray"}>{status}</Badge>;
}

export function RiskBadge({ risk }: { risk: string | null }) {
  return <Badge tone={risk === "irreversible" ? "red" : risk === "write" ? "amber" : "blue"}>{risk ?? "unknown risk"}</Badge>;
}
