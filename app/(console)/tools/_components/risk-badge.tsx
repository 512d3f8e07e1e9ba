import { Badge } from "@/components/ui/badge";

const TONE = { read: "green", write: "amber", irreversible: "red" } as const;

export function RiskBadge({ risk }: { risk: string }) {
  return <Badge tone={TONE[risk as keyof typeof TONE] ?? "gray"}>{risk}</Badge>;
}
