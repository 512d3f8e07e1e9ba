"use client";
import { useMutation } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { Dialog, DoneButton } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/data-table";
import { SecretReveal } from "@/components/ui/secret-reveal";
import type { UserView } from "@/lib/users/user-view";

export function PasswordDialog({ user, onClose }: { user: UserView | null; onClose: () => void }) {
  const reset = useMutation({
    mutationFn: (id: string) => apiFetch<{ generatedPassword: string }>(`/users/${id}/password`, { method: "POST", body: {} }),
  });
  const close = () => {
    reset.reset();
    onClose();
  };
  return (
    <Dialog open={user !== null} onClose={close} title={`Reset the password of ${user?.email ?? ""}`}>
      {reset.data ? (
        <div className="space-y-4">
          <SecretReveal label="new password" value={reset.data.generatedPassword} />
          <DoneButton onDone={close} />
        </div>
      ) : (
        <div className="space-y-4 text-sm text-slate-700">
          <p>A new random password replaces the old one, and every session of this user ends now.</p>
          <FormError>{reset.error?.message}</FormError>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button variant="danger" disabled={reset.isPending} onClick={() => user && reset.mutate(user.id)}>
              Reset password
            </Button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
