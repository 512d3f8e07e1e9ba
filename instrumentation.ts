// Next calls register() once when a server process starts (`node server.mjs`, `next dev`; never during `next build`,
// which Next skips itself). It starts what runs in the background of every instance: the webhook sender and the
// approval expiry sweep.
export async function register() {
  // the Node.js server only: not the edge runtime, and not the build's workers (NEXT_PHASE guards a future change)
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { startWebhookWorker } = await import("@/lib/webhooks/worker");
  startWebhookWorker();
  const { startApprovalExpiryWorker } = await import("@/lib/approvals/expiry-worker");
  startApprovalExpiryWorker();
}
