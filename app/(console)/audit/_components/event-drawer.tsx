"use client";
// The detail drawer: one audit event whole (every column, details as indented JSON, its place in the hash chain),
// with links to what it names. Opened by ?event=evt_... so a single event can be linked to.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { formatDateTime } from "@/components/format";
import { queries } from "@/components/queries";
import { Badge, resultTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ErrorState, LoadingState } from "@/components/ui/states";
import type { AuditEventView } from "@/lib/audit/list-events";

/** Where an id leads in the console, by its prefix (ids are prefixed: lib/ids.ts). */
function hrefFor(id: string | null | undefined): string | null {
  if (!id) return null;
  if (id.startsWith("agt_")) return `/agents/${id}`;
  if (id.startsWith("res_")) return `/resources?node=${encodeURIComponent(id)}`;
  if (id.startsWith("apr_")) return `/approvals/${id}`;
  if (id.startsWith("usr_")) return `/audit?user=${id}`;
  return null;
}

function IdLink({ id }: { id: string | null | undefined }) {
  if (!id) return <span className="text-slate-400">—</span>;
  const href = hrefFor(id);
  return href ? (
    <Link href={href} className="font-mono text-xs text-brand hover:underline">
      {id}
    </Link>
  ) : (
    <code className="text-xs">{id}</code>
  );
}

/** Grant ids the details mention (a decision's reasons name the grants that allowed it): each links to its node's page. */
function grantIds(details: Record<string, unknown>): string[] {
  const found = new Set<string>();
  JSON.stringify(details, (_k, v: unknown) => {
    if (typeof v === "string" && /^grt_[0-9a-z]+$/.test(v)) found.add(v);
    return v;
  });
  return [...found];
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[8rem_1fr] gap-2 py-1.5">
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 break-all">{children}</dd>
    </div>
  );
}

export function EventDrawer({ eventId, initial, onClose }: { eventId: string | null; initial?: AuditEventView; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const query = useQuery({ ...queries.auditEvent(eventId ?? ""), enabled: !!eventId && !initial, initialData: initial });
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (eventId && !d.open) d.showModal();
    if (!eventId && d.open) d.close();
  }, [eventId]);
  const e = query.data;
  const grants = e ? grantIds(e.details) : [];

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby="event-drawer-title"
      data-testid="event-drawer"
      className="fixed inset-y-0 right-0 left-auto m-0 h-full max-h-none w-full max-w-xl overflow-y-auto border-l border-slate-200 bg-white p-0 shadow-xl"
    >
      {eventId ? (
        <div className="p-6">
          <div className="mb-4 flex items-start justify-between gap-4">
            <h2 id="event-drawer-title" className="text-lg font-semibold">
              Audit event
            </h2>
            <Button variant="ghost" size="sm" onClick={onClose} aria-label="Close">
              Close
            </Button>
          </div>
          {query.isError ? (
            <ErrorState error={query.error} onRetry={() => query.refetch()} />
          ) : !e ? (
            <LoadingState />
          ) : (
            <div className="space-y-5 text-sm">
              <dl>
                <Row label="Id">
                  <code className="text-xs">{e.id}</code>
                </Row>
                <Row label="Time">
                  {formatDateTime(e.createdAt)} <span className="text-xs text-slate-400">({e.createdAt})</span>
                </Row>
                <Row label="Action">
                  <code>{e.action}</code>
                </Row>
                <Row label="Result">
                  <Badge tone={resultTone(e.result)}>{e.result}</Badge>
                </Row>
                <Row label="Actor">
                  {e.actor.label ?? "—"} <span className="text-xs text-slate-400">({e.actor.type})</span>
                  <div>
                    <IdLink id={e.actor.id} />
                  </div>
                </Row>
                <Row label="Target">
                  {e.target ? (
                    <>
                      <span className="text-xs text-slate-400">{e.target.type}</span>{" "}
                      <IdLink id={e.target.id} />
                    </>
                  ) : (
                    "—"
                  )}
                </Row>
                {grants.length ? (
                  <Row label="Grants">
                    {grants.map((g) => (
                      <div key={g}>
                        {e.target?.type === "resource_node" ? (
                          <Link href={`/resources?node=${encodeURIComponent(e.target.id)}`} className="font-mono text-xs text-brand hover:underline">
                            {g}
                          </Link>
                        ) : (
                          <code className="text-xs">{g}</code>
                        )}
                      </div>
                    ))}
                  </Row>
                ) : null}
                <Row label="Address">{e.ip ?? "—"}</Row>
              </dl>
              <div>
                <h3 className="mb-1 font-medium text-slate-700">Details</h3>
                <pre data-testid="event-details" className="max-h-96 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-800">
                  {JSON.stringify(e.details, null, 2)}
                </pre>
              </div>
              <div>
                <h3 className="mb-1 font-medium text-slate-700">Hash chain</h3>
                {e.seq === null ? (
                  <p className="text-slate-500">Recorded before the chain existed (not chained).</p>
                ) : (
                  <dl className="font-mono text-xs">
                    <Row label="Position">{e.seq}</Row>
                    <Row label="Hash">{e.hash}</Row>
                    <Row label="Previous hash">{e.prevHash || "(first event)"}</Row>
                  </dl>
                )}
              </div>
            </div>
          )}
        </div>
      ) : null}
    </dialog>
  );
}
