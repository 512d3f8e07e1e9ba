// The glyph of each node type's icon name (GET /api/v1/node-types): small stroked SVGs in the text colour, drawn
// here so the tree needs no icon font or dependency. An icon name this list does not know gets a plain dot.
const PATHS: Record<string, React.ReactNode> = {
  building: (
    <>
      <rect x="3" y="2" width="10" height="12" rx="1" />
      <path d="M6 5h1M9 5h1M6 8h1M9 8h1M7 14v-3h2v3" />
    </>
  ),
  layers: (
    <>
      <path d="M8 2 2 5l6 3 6-3-6-3Z" />
      <path d="m2 8 6 3 6-3M2 11l6 3 6-3" />
    </>
  ),
  briefcase: (
    <>
      <rect x="2" y="5" width="12" height="8" rx="1" />
      <path d="M6 5V3.5a.5.5 0 0 1 .5-.5h3a.5.5 0 0 1 .5.5V5M2 9h12" />
    </>
  ),
  folder: <path d="M2 4.5a1 1 0 0 1 1-1h3l1.5 1.5H13a1 1 0 0 1 1 1V12a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1Z" />,
  book: (
    <>
      <path d="M3 3.5A1.5 1.5 0 0 1 4.5 2H13v10H4.5A1.5 1.5 0 0 0 3 13.5Z" />
      <path d="M3 13.5A1.5 1.5 0 0 0 4.5 15H13v-3" />
    </>
  ),
  "git-branch": (
    <>
      <circle cx="5" cy="3.5" r="1.5" />
      <circle cx="5" cy="12.5" r="1.5" />
      <circle cx="11" cy="5.5" r="1.5" />
      <path d="M5 5v6M11 7c0 2.5-3 2.5-5.2 4.2" />
    </>
  ),
  globe: (
    <>
      <circle cx="8" cy="8" r="6" />
      <path d="M2 8h12M8 2c2 2 2 10 0 12M8 2c-2 2-2 10 0 12" />
    </>
  ),
  server: (
    <>
      <rect x="2" y="2.5" width="12" height="4.5" rx="1" />
      <rect x="2" y="9" width="12" height="4.5" rx="1" />
      <path d="M4.5 4.75h.01M4.5 11.25h.01" />
    </>
  ),
  box: (
    <>
      <path d="M8 1.8 14 5v6l-6 3.2L2 11V5Z" />
      <path d="M2 5l6 3 6-3M8 8v6.2" />
    </>
  ),
  database: (
    <>
      <ellipse cx="8" cy="3.5" rx="5" ry="1.8" />
      <path d="M3 3.5v9c0 1 2.2 1.8 5 1.8s5-.8 5-1.8v-9M3 8c0 1 2.2 1.8 5 1.8s5-.8 5-1.8" />
    </>
  ),
  cloud: <path d="M4.5 12.5a3 3 0 0 1-.4-6A4 4 0 0 1 11.8 6a3.3 3.3 0 0 1 .2 6.5Z" />,
  lock: (
    <>
      <rect x="3" y="7" width="10" height="7" rx="1" />
      <path d="M5 7V5a3 3 0 0 1 6 0v2" />
    </>
  ),
  file: (
    <>
      <path d="M4 1.8h5l3 3V14a.5.5 0 0 1-.5.5h-7A.5.5 0 0 1 4 14Z" />
      <path d="M9 1.8v3h3" />
    </>
  ),
  user: (
    <>
      <circle cx="8" cy="5" r="2.8" />
      <path d="M2.8 14.2a5.2 5.2 0 0 1 10.4 0" />
    </>
  ),
};

export function NodeIcon({ icon, className = "" }: { icon: string | undefined; className?: string }) {
  return (
    <svg
      viewBox="0 0 16 16"
      width="16"
      height="16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.3"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden
      className={`shrink-0 ${className}`}
    >
      {(icon && PATHS[icon]) ?? <circle cx="8" cy="8" r="2.5" />}
    </svg>
  );
}

/** Node type name to icon name, from the node types list. */
export type IconOf = (type: string) => string | undefined;
