"use client";
// How long a pending request still waits, ticking every second. Server and first client render agree on the text
// because both start from the same `now` passed in by the page.
import { useEffect, useState } from "react";

export function formatTimeLeft(ms: number): string {
  if (ms <= 0) return "expired";
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s} s left`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s left` : `${Math.floor(m / 60)} h ${m % 60} min left`;
}

export function TimeLeft({ expiresAt, status }: { expiresAt: string; status: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  if (status !== "pending") return null;
  if (now === null) return <span className="text-slate-500">…</span>;
  const ms = new Date(expiresAt).getTime() - now;
  return (
    <span data-testid="time-left" className={ms < 60_000 ? "font-medium text-red-700" : "text-slate-600"}>
      {formatTimeLeft(ms)}
    </span>
  );
}
