"use client";
import { signOut } from "next-auth/react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

export function UserMenu({ email, name, role }: { email: string; name: string | null; role: string }) {
  return (
    <div className="space-y-2">
      <div className="min-w-0">
        <p data-testid="current-user" className="truncate text-sm font-medium">
          {name ?? email}
        </p>
        {name ? <p className="truncate text-xs text-slate-500">{email}</p> : null}
        <div className="mt-1">
          <Badge tone="blue">{role}</Badge>
        </div>
      </div>
      <Button variant="secondary" size="sm" className="w-full" onClick={() => signOut({ callbackUrl: "/sign-in" })}>
        Sign out
      </Button>
    </div>
  );
}
