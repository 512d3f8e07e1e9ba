// Decisions per hour for the last 24 hours, stacked by outcome: an inline SVG (no chart library), one bar per hour,
// each with a tooltip; the totals are also in text for screen readers.
import type { DecisionHour } from "@/lib/dashboard/get-overview";

const SERIES = [
  { key: "allow", label: "allow", fill: "#10b981" },
  { key: "approval_required", label: "approval required", fill: "#f59e0b" },
  { key: "deny", label: "deny", fill: "#ef4444" },
] as const;

const W = 720;
const H = 160;
const PAD_BOTTOM = 18;

export function DecisionsChart({ hours }: { hours: DecisionHour[] }) {
  const totals = { allow: 0, approval_required: 0, deny: 0 };
  for (const h of hours) for (const s of SERIES) totals[s.key] += h[s.key];
  const all = totals.allow + totals.approval_required + totals.deny;
  const max = Math.max(1, ...hours.map((h) => h.allow + h.approval_required + h.deny));
  const slot = W / hours.length;
  const bar = Math.max(2, slot - 4);
  const plot = H - PAD_BOTTOM;

  return (
    <div data-testid="decisions-chart">
      <div className="mb-2 flex flex-wrap gap-4 text-xs text-slate-600">
        {SERIES.map((s) => (
          <span key={s.key} className="flex items-center gap-1.5">
            <span className="inline-block h-2.5 w-2.5 rounded-sm" style={{ background: s.fill }} aria-hidden />
            {s.label}: <strong className="font-semibold text-slate-800">{totals[s.key]}</strong>
          </span>
        ))}
        <span className="text-slate-400">max {max} per hour</span>
      </div>
      {all === 0 ? (
        <div data-testid="empty" className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-sm text-slate-500">
          No decisions in the last 24 hours. Tools and MCP servers ask POST /api/v1/decisions before each call.
        </div>
      ) : (
        <svg viewBox={`0 0 ${W} ${H}`} className="h-40 w-full" role="img" aria-label={`Decisions per hour, last 24 hours: ${totals.allow} allowed, ${totals.approval_required} needing approval, ${totals.deny} denied`}>
          <line x1={0} x2={W} y1={plot} y2={plot} stroke="#e2e8f0" />
          {hours.map((h, i) => {
            const x = i * slot + (slot - bar) / 2;
            let y = plot;
            const label = `${h.hour.slice(11, 16)} UTC: ${h.allow} allow, ${h.approval_required} approval required, ${h.deny} deny`;
            return (
              <g key={h.hour}>
                <title>{label}</title>
                <rect x={i * slot} y={0} width={slot} height={plot} fill="transparent" />
                {SERIES.map((s) => {
                  const height = (h[s.key] / max) * (plot - 4);
                  if (height <= 0) return null;
                  y -= height;
                  return <rect key={s.key} x={x} y={y} width={bar} height={height} fill={s.fill} rx={1} />;
                })}
                {i % 3 === 0 ? (
                  <text x={i * slot + slot / 2} y={H - 4} textAnchor="middle" fontSize={10} fill="#64748b">
                    {h.hour.slice(11, 13)}h
                  </text>
                ) : null}
              </g>
            );
          })}
        </svg>
      )}
    </div>
  );
}
