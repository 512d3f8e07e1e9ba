// Preloaded (node --import) into the server by `npm run bench -- audit` for its "no audit write" runs, and never
// anywhere else: it takes the place of the group-commit batcher (lib/audit/audit-batcher.ts keeps one per process on
// globalThis) with one that writes nothing, so that a decision costs everything but its audit row. Production code
// has no switch that turns auditing off.
import { randomUUID } from "node:crypto";

globalThis.__deputyAuditBatcher = { record: async () => `evt_${randomUUID()}` };
