// The checklist, item by item: its verdict, the evidence it rests on, and where to fix it.
import Link from "next/link";
import { formatDateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import type { PostureReport, PostureStatus } from "@/lib/posture/evaluate-posture";

const TONE: Record<PostureStatus, "green" | "red" | "gray"> = { pass: "green", fail: "red", unknown: "gray" };

export function PostureItems({ report }: { report: PostureReport }) {
  const { summary } = report;
  return (
    <div className="space-y-4">
      <p data-testid="posture-summary" className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
        <Badge tone="green">{summary.pass} pass</Badge>
        <Badge tone="red">{summary.fail} fail</Badge>
        <Badge tone="gray">{summary.unknown} unknown</Badge>
        <span className="text-slate-400">evaluated {formatDateTime(report.evaluatedAt)}</span>
      </p>
      <ol className="space-y-3">
        {report.items.map((item) => (
          <li key={item.id} data-testid={`posture-${item.id}`} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
            <div className="flex flex-wrap items-start justify-between gap-3">
              <div className="min-w-0">
                <h2 className="flex items-center gap-2 font-semibold">
                  <span data-testid="posture-status">
                    <Badge tone={TONE[item.status]}>{item.status}</Badge>
                  </span>
                  {item.title}
                </h2>
                <p className="mt-1 text-xs italic text-slate-500">Checklist: {item.checklist}</p>
              </div>
              {item.fix ? (
                <Link href={item.fix.href} className="shrink-0 rounded-md border border-slate-300 px-2.5 py-1 text-sm font-medium text-slate-800 hover:bg-slate-100">
                  {item.fix.label}
                </Link>
              ) : null}
            </div>
            <ul className="mt-3 list-disc space-y-1 pl-5 text-sm text-slate-700">
              {item.evidence.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </div>
  );
}
