"use client";
// Every destructive action says what it will do and asks once.
import type { UseMutationResult } from "@tanstack/react-query";
import { Button } from "./button";
import { FormError } from "./data-table";
import { Dialog } from "./dialog";

export function ConfirmDialog({
  open,
  title,
  body,
  confirmLabel,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  body: React.ReactNode;
  confirmLabel: string;
  pending?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog open={open} onClose={onClose} title={title}>
      <div className="space-y-4 text-sm text-slate-700">
        <div>{body}</div>
        <FormError>{error}</FormError>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="danger" disabled={pending} onClick={onConfirm}>
            {pending ? "Working…" : confirmLabel}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}

/**
 * The confirmation of a destructive mutation on one item (revoke this secret, this key): open while `target` is set,
 * runs the mutation with the target's id, shows its error, and resets it on close.
 */
export function ConfirmMutation<T extends { id: string }>({
  target,
  mutation,
  onClose,
  ...text
}: {
  target: T | null;
  mutation: UseMutationResult<unknown, Error, string>;
  onClose: () => void;
  title: string;
  body: React.ReactNode;
  confirmLabel: string;
}) {
  return (
    <ConfirmDialog
      {...text}
      open={target !== null}
      pending={mutation.isPending}
      error={mutation.error?.message}
      onConfirm={() => target && mutation.mutate(target.id)}
      onClose={() => {
        onClose();
        mutation.reset();
      }}
    />
  );
}
