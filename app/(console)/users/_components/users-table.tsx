"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { formatDateTime } from "@/components/format";
import { queries } from "@/components/queries";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Select } from "@/components/ui/field";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import type { UserView } from "@/lib/users/user-view";
import { CreateUserDialog } from "./create-user-dialog";
import { PasswordDialog } from "./password-dialog";
import { DataTable } from "@/components/ui/data-table";

type Pending = { user: UserView; action: "disable" | "enable" | "password" } | null;

export function UsersTable({ initialUsers, currentUserId }: { initialUsers: UserView[]; currentUserId: string }) {
  const qc = useQueryClient();
  const users = useQuery({ ...queries.users(), initialData: initialUsers });
  const [creating, setCreating] = useState(false);
  const [pending, setPending] = useState<Pending>(null);
  const [rowError, setRowError] = useState<string | null>(null);

  const update = useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: { role?: string; disabled?: boolean } }) =>
      apiFetch<UserView>(`/users/${id}`, { method: "PATCH", body: patch }),
    onSuccess: () => {
      setRowError(null);
      setPending(null);
      return qc.invalidateQueries({ queryKey: queries.users().queryKey });
    },
    onError: (e) => setRowError(e.message),
  });

  return (
    <div className="space-y-4">
      <div className="flex justify-end">
        <Button onClick={() => setCreating(true)}>Add user</Button>
      </div>
      {rowError && !pending ? (
        <p role="status" data-testid="users-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {rowError}
        </p>
      ) : null}
      {users.isError ? (
        <ErrorState error={users.error} onRetry={() => users.refetch()} />
      ) : users.isPending ? (
        <LoadingState />
      ) : users.data.length === 0 ? (
        <EmptyState title="No users yet">Add the first person who should use the console.</EmptyState>
      ) : (
        <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
          <DataTable columns={["User", "Role", "Status", "Last sign-in", { label: "Actions", align: "right" }]} testId="users-table">
            {users.data.map((u) => (
              <tr key={u.id} data-testid={`user-row-${u.email}`}>
                <td className="px-4 py-2">
                  <div className="font-medium">{u.email}</div>
                  {u.name ? <div className="text-xs text-slate-500">{u.name}</div> : null}
                </td>
                <td className="px-4 py-2">
                  <Select
                    aria-label={`Role of ${u.email}`}
                    value={u.role}
                    disabled={update.isPending}
                    onChange={(e) => update.mutate({ id: u.id, patch: { role: e.target.value } })}
                    className="w-32 py-1"
                  >
                    {CONSOLE_ROLES.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </Select>
                </td>
                <td className="px-4 py-2">
                  <Badge tone={u.status === "active" ? "green" : "red"}>{u.status}</Badge>
                </td>
                <td className="px-4 py-2 text-slate-500">{formatDateTime(u.lastSignInAt)}</td>
                <td className="space-x-2 px-4 py-2 text-right">
                  <Button variant="ghost" size="sm" onClick={() => setPending({ user: u, action: "password" })}>
                    Reset password
                  </Button>
                  {u.status === "active" ? (
                    <Button
                      variant="ghost"
                      size="sm"
                      disabled={u.id === currentUserId}
                      title={u.id === currentUserId ? "You cannot disable yourself" : undefined}
                      onClick={() => setPending({ user: u, action: "disable" })}
                    >
                      Disable
                    </Button>
                  ) : (
                    <Button variant="ghost" size="sm" onClick={() => setPending({ user: u, action: "enable" })}>
                      Enable
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}

      <CreateUserDialog open={creating} onClose={() => setCreating(false)} />
      <PasswordDialog user={pending?.action === "password" ? pending.user : null} onClose={() => setPending(null)} />
      <ConfirmDialog
        open={pending?.action === "disable" || pending?.action === "enable"}
        title={pending?.action === "disable" ? `Disable ${pending.user.email}?` : `Enable ${pending?.user.email}?`}
        body={
          pending?.action === "disable"
            ? "They are signed out everywhere at once and cannot sign in until enabled again. Their records stay."
            : "They can sign in again with their password or SSO. Sessions from before the disable stay ended."
        }
        confirmLabel={pending?.action === "disable" ? "Disable user" : "Enable user"}
        pending={update.isPending}
        error={rowError}
        onConfirm={() => pending && update.mutate({ id: pending.user.id, patch: { disabled: pending.action === "disable" } })}
        onClose={() => {
          setPending(null);
          setRowError(null);
        }}
      />
    </div>
  );
}
