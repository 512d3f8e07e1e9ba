"use client";
import { useMutation } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
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
          <div className="flex justify-end">
            <Button onClick={close}>Done</Button>
          </div>
        </div>
      ) : (
        <div className="space-y-4 text-sm text-slate-700">
          <p>A new random password replaces the old one, and every session of this user ends now.</p>
          {reset.error ? <p className="rounded-md bg-red-50 px-3 py-2 text-red-700">{reset.error.message}</p> : null}
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
