"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { queries } from "@/components/queries";
import { Dialog, DoneButton, FormFooter } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import type { UserView } from "@/lib/users/user-view";

export function CreateUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const [result, setResult] = useState<{ user: UserView; generatedPassword: string | null } | null>(null);
  const create = useMutation({
    mutationFn: (body: { email: string; name?: string; role: string; password?: string }) =>
      apiFetch<{ user: UserView; generatedPassword: string | null }>("/users", { method: "POST", body }),
    onSuccess: (r) => {
      setResult(r);
      return qc.invalidateQueries({ queryKey: queries.users().queryKey });
    },
  });
  const close = () => {
    setResult(null);
    create.reset();
    onClose();
  };

  return (
    <Dialog open={open} onClose={close} title={result ? "User created" : "Add user"}>
      {result ? (
        <div className="space-y-4">
          <p className="text-sm">
            <strong>{result.user.email}</strong> can now sign in as <strong>{result.user.role}</strong>.
          </p>
          {result.generatedPassword ? <SecretReveal label="temporary password" value={result.generatedPassword} /> : null}
          <DoneButton onDone={close} />
        </div>
      ) : (
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const password = String(f.get("password") ?? "");
            const name = String(f.get("name") ?? "").trim();
            create.mutate({
              email: String(f.get("email")),
              role: String(f.get("role")),
              ...(name ? { name } : {}),
              ...(password ? { password } : {}),
            });
          }}
        >
          <Field label="Email">
            <Input name="email" type="email" required autoFocus />
          </Field>
          <Field label="Name (optional)">
            <Input name="name" />
          </Field>
          <Field label="Role" hint="Least privilege: start with viewer and raise it when needed.">
            <Select name="role" defaultValue="viewer">
              {CONSOLE_ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Password (optional)" hint="Leave empty to generate a temporary password to hand over.">
            <Input name="password" type="password" autoComplete="new-password" minLength={12} />
          </Field>
          <FormFooter onCancel={close} submitLabel="Create user" pendingLabel="Creating…" pending={create.isPending} error={create.error?.message} />
        </form>
      )}
    </Dialog>
  );
}
