"use client";
// A modal on the native <dialog> element: focus trapping, Escape and the backdrop come from the browser.
import { useEffect, useRef } from "react";
import { Button } from "./button";
import { FormError } from "./data-table";

export function Dialog({
  open,
  onClose,
  title,
  children,
  wide = false,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: React.ReactNode;
  /** for long forms */
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby="dialog-title"
      className={`m-auto w-full ${wide ? "max-w-2xl" : "max-w-md"} rounded-xl border border-slate-200 p-0 shadow-xl`}
    >
      {open ? (
        <div className="p-6">
          <h2 id="dialog-title" className="mb-4 text-lg font-semibold">
            {title}
          </h2>
          {children}
        </div>
      ) : null}
    </dialog>
  );
}

/** The single button that closes a dialog once its result has been read. */
export function DoneButton({ onDone }: { onDone: () => void }) {
  return (
    <div className="flex justify-end">
      <Button onClick={onDone}>Done</Button>
    </div>
  );
}

/** A dialog form's last line: its error, if any, then Cancel and the submit button (disabled while pending). */
export function FormFooter({
  onCancel,
  submitLabel,
  pendingLabel,
  pending,
  error,
  disabled,
}: {
  onCancel: () => void;
  submitLabel: string;
  pendingLabel?: string;
  pending: boolean;
  error?: string | null;
  disabled?: boolean;
}) {
  return (
    <>
      <FormError>{error}</FormError>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending || disabled}>
          {pending && pendingLabel ? pendingLabel : submitLabel}
        </Button>
      </div>
    </>
  );
}
