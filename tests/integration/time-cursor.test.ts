// Listings paged by (createdAt, id) share one cursor: a cursor they did not make, or one made by another listing, is
// a 400 in the API's envelope on every one of them (it used to be an empty page on two of them).
import { describe, expect, it } from "vitest";
import { listAlerts } from "@/lib/alerts/list-alerts";
import { listApprovals } from "@/lib/approvals/list-approvals";
import { listAuditEvents, listEventsQuery } from "@/lib/audit/list-events";
import { getDb } from "@/lib/db/client";
import { encodeTimeCursor } from "@/lib/db/time-cursor";
import { newId } from "@/lib/ids";
import { createWebhook } from "@/lib/webhooks/create-webhook";
import { listWebhookDeliveries } from "@/lib/webhooks/list-webhook-deliveries";
import { testActor } from "../helpers/factories";

const db = () => getDb();
const garbage = ["%%%", "bm9wZQ", Buffer.from("2026-01-01T00:00:00.000Z|apr_x|more").toString("base64url")];
const auditCursor = encodeTimeCursor({ createdAt: new Date(), id: newId("auditEvent") });

describe("time cursors", () => {
  const listings: [string, (cursor: string) => Promise<unknown>][] = [
    ["approvals", (cursor) => listApprovals(db(), { cursor })],
    ["alerts", (cursor) => listAlerts(db(), { cursor })],
    [
      "webhook deliveries",
      async (cursor) => {
        const { webhook } = await createWebhook(db(), { name: "cursor test", url: "http://127.0.0.1:9/x", events: ["*"] }, testActor, { allowPrivate: true });
        return listWebhookDeliveries(db(), webhook.id, { cursor });
      },
    ],
  ];
  for (const [name, list] of listings) {
    it(`${name}: a foreign or malformed cursor is a validation error`, async () => {
      for (const cursor of [...garbage, auditCursor]) {
        await expect(list(cursor)).rejects.toMatchObject({ code: "validation_failed", message: "cursor: is not a cursor of this listing" });
      }
    });
  }

  it("audit events: refuses another listing's cursor and takes its own", async () => {
    const query = (cursor: string) => listEventsQuery.parse({ cursor });
    await expect(listAuditEvents(db(), query(encodeTimeCursor({ createdAt: new Date(), id: newId("approval") })))).rejects.toMatchObject({
      code: "validation_failed",
    });
    await expect(listAuditEvents(db(), query(auditCursor))).resolves.toMatchObject({ events: expect.any(Array) });
  });
});
