// Appends audit events from a process of its own, for the chain's cross-process test: half through the group-commit
// batcher, half through recordAuditEvent, all at once. Usage: node audit-append-process.mjs <count> <targetId>
// (DATABASE_URL and the master key come from the environment, as for the CLI).
import { register } from "tsx/esm/api";

register({ tsconfig: new URL("../../tsconfig.json", import.meta.url).pathname });
const [count, targetId] = [Number(process.argv[2]), process.argv[3]];
const { auditBatcher } = await import("../../lib/audit/audit-batcher.ts");
const { recordAuditEvent } = await import("../../lib/audit/record-event.ts");
const { getDb } = await import("../../lib/db/client.ts");

const event = (i) => ({ actor: { type: "system", id: "child", label: "child process" }, action: "test.append", target: { type: "test", id: targetId }, details: { i } });
await Promise.all(Array.from({ length: count }, (_, i) => (i % 2 ? auditBatcher().record(event(i)) : recordAuditEvent(getDb(), event(i)))));
await getDb().$disconnect();
process.exit(0);
