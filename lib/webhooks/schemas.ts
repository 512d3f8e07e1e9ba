// The inputs of the webhook use cases, parsed with zod at every boundary. The URL's reachability (the SSRF guard,
// which resolves DNS) is checked by the use cases, since it is asynchronous.
import { z } from "zod";
import { freeText } from "@/lib/resources/free-text";
import { WEBHOOK_EVENTS } from "./events";

export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const EVENT_CHOICES = ["*", ...WEBHOOK_EVENTS] as const;

/**
 * The events a webhook takes: an array, or one space-separated string; "*" means every event, now and later.
 * Parsed to a sorted list without duplicates, stored space-separated.
 */
export const webhookEventsSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => [...new Set((Array.isArray(v) ? v.map((s) => s.trim()) : v.split(/\s+/)).filter(Boolean))].sort())
  .pipe(
    z
      .array(z.enum(EVENT_CHOICES, { message: `must be "*" or among ${WEBHOOK_EVENTS.join(", ")}` }))
      .min(1, "must name at least one event")
      .refine((list) => !list.includes("*") || list.length === 1, '"*" already takes every event; list nothing else with it'),
  );

export const webhookUrlSchema = z.string().trim().min(1, "is required").max(2000, "must be at most 2000 characters");

export const createWebhookInput = z.object({
  name: freeText(100, 1),
  url: webhookUrlSchema,
  events: webhookEventsSchema,
  enabled: z.boolean().default(true),
});
export type CreateWebhookInput = z.input<typeof createWebhookInput>;

export const updateWebhookInput = z
  .strictObject({
    name: freeText(100, 1).optional(),
    url: webhookUrlSchema.optional(),
    events: webhookEventsSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), "change at least one of name, url, events, enabled");
export type UpdateWebhookInput = z.input<typeof updateWebhookInput>;

export const listDeliveriesQuery = z.object({
  status: z.enum(DELIVERY_STATUSES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type ListDeliveriesQuery = z.input<typeof listDeliveriesQuery>;
