// The console shell: every page below requires a live session (lib/auth/console-user.ts checks it against the
// database on each request, so disabled users are out at once).
import { requireConsoleUser } from "@/lib/auth/console-user";
import { getDb } from "@/lib/db/client";
import { listFreezes } from "@/lib/freezes/list-freezes";
import { ConsoleNav } from "./_components/console-nav";
import { IncidentBanner } from "./_components/incident-banner";
import { UserMenu } from "./_components/user-menu";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const user = await requireConsoleUser();
  // read on every page: a freeze made on another instance shows at the next navigation
  const freezes = await listFreezes(getDb(), { active: "true" });
  return (
    <div className="flex min-h-screen">
      <aside className="flex w-60 shrink-0 flex-col border-r border-slate-200 bg-white">
        <div className="flex items-center gap-2 px-5 py-4">
          <div className="flex h-8 w-8 items-center justify-center rounded-lg bg-brand font-bold text-white">D</div>
          <span className="text-lg font-semibold">Deputy</span>
        </div>
        <ConsoleNav role={user.role} />
        <div className="mt-auto border-t border-slate-200 p-4">
          <UserMenu email={user.email} name={user.name} role={user.role} />
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-8 py-6">
        <IncidentBanner freezes={freezes} />
        {children}
      </main>
    </div>
  );
}
