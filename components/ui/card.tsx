// The frame of a section of a page: a title, optional actions, and the body.
export function Card({
  title,
  actions,
  children,
  testId,
  id,
  className = "",
}: {
  title: string;
  actions?: React.ReactNode;
  children: React.ReactNode;
  testId?: string;
  /** an anchor other parts of the page link to */
  id?: string;
  className?: string;
}) {
  return (
    <section id={id} data-testid={testId} className={`scroll-mt-4 rounded-xl border border-slate-200 bg-white shadow-sm ${className}`}>
      <div className="flex items-center justify-between gap-4 border-b border-slate-200 px-4 py-3">
        <h3 className="font-semibold">{title}</h3>
        {actions ? <div className="flex gap-2">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}

export function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex items-start justify-between gap-4 px-4 py-2 text-sm">
      <span className="shrink-0 text-slate-500">{label}</span>
      <span className="min-w-0 text-right">{children}</span>
    </div>
  );
}
