import type { DbClient } from "@/lib/db/client";
import { verifyAuditChain, verifyChainQuery } from "@/lib/audit/verify-chain";
import { type Output, print, UsageError } from "../output";

/** deputy audit verify [--from SEQ]: exit code 1 when the chain is broken. */
export async function auditCommand(db: DbClient, sub: string | undefined, values: { from?: string }, o: Output): Promise<number> {
  switch (sub) {
    case "verify": {
      const { from } = verifyChainQuery.parse({ from: values.from });
      const showProgress = !o.json && process.stderr.isTTY;
      const r = await verifyAuditChain(db, {
        from,
        onProgress: showProgress ? (p) => process.stderr.write(`\rverifying: ${p.checkedEvents.toLocaleString()} of ${p.headSeq.toLocaleString()} events`) : undefined,
      });
      if (showProgress) process.stderr.write("\n");
      const summary = `${r.checkedEvents.toLocaleString()} events, ${r.checkpointsVerified} signed checkpoints checked in ${r.durationMs} ms` +
        (r.legacyEvents ? `; ${r.legacyEvents.toLocaleString()} unchained legacy rows (written before the chain existed)` : "");
      print(o, r, () => (r.problem ? `audit chain BROKEN (${r.problem.kind}): ${r.problem.message}\n${summary}` : `audit chain intact: ${summary}`));
      return r.ok ? 0 : 1;
    }
    default:
      throw new UsageError(`unknown audit command: ${sub ?? "(none)"}`);
  }
}
