"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { queries } from "@/components/queries";
import { canSee, type ConsoleSection } from "@/lib/auth/roles";

const ITEMS: { href: string; label: string; section: ConsoleSection }[] = [
  { href: "/dashboard", label: "Dashboard", section: "dashboard" },
  { href: "/agents", label: "Agents", section: "agents" },
  { href: "/resources", label: "Resources", section: "resources" },
  { href: "/tools", label: "Tools & roles", section: "tools" },
  { href: "/approvals", label: "Approvals", section: "approvals" },
  { href: "/audit", label: "Audit log", section: "audit" },
  { href: "/posture", label: "Posture", section: "posture" },
  { href: "/users", label: "Users", section: "users" },
  { href: "/settings", label: "Settings", section: "settings" },
  { href: "/connected-agents", label: "Connected agents", section: "connectedAgents" },
];

export function ConsoleNav({ role }: { role: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Console" className="flex flex-col gap-0.5 px-3">
      {ITEMS.filter((i) => canSee(role, i.section)).map((i) => {
        const active = pathname === i.href || pathname.startsWith(`${i.href}/`);
        return (
          <Link
            key={i.href}
            href={i.href}
            aria-current={active ? "page" : undefined}
            className={`flex items-center justify-between rounded-md px-3 py-2 text-sm font-medium ${active ? "bg-brand/10 text-brand" : "text-slate-600 hover:bg-slate-100"}`}
          >
            {i.label}
            {i.section === "approvals" ? <PendingApprovals /> : null}
          </Link>
        );
      })}
    </nav>
  );
}

/** The live number of requests waiting for a person (polled: a new request shows up without a reload). */
function PendingApprovals() {
  const { data } = useQuery({ ...queries.approvalsPendingCount(), refetchInterval: 5_000 });
  if (!data) return null;
  return (
    <span data-testid="pending-approvals" aria-label={`${data} pending`} className="rounded-full bg-amber-500 px-2 text-xs font-semibold text-white">
      {data > 99 ? "99+" : data}
    </span>
  );
}
