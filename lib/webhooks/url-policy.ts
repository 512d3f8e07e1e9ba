// Where webhooks may send (the SSRF guard). A webhook URL is chosen by an admin, but the request leaves from inside
// the deployment, so without this guard it could reach the database, the cloud metadata service or an internal admin
// panel. Checked when a webhook is created or changed AND again at every send, on the addresses the name resolves to
// at that moment (DNS can change after creation); the sender then connects only to an address checked here.
import { lookup as dnsLookup } from "node:dns";
import { BlockList, isIP } from "node:net";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";

export type UrlPolicy = {
  /** allow internal addresses (DEPUTY_WEBHOOK_ALLOW_PRIVATE): local development and tests only */
  allowPrivate: boolean;
};

export const defaultUrlPolicy = (): UrlPolicy => ({ allowPrivate: env().DEPUTY_WEBHOOK_ALLOW_PRIVATE });

const blocked = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8], // "this network", unspecified
  ["10.0.0.0", 8], // RFC 1918
  ["100.64.0.0", 10], // CGNAT (RFC 6598); also Alibaba's metadata address 100.100.100.200
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, and the metadata service of AWS, GCP, Azure, OCI (169.254.169.254)
  ["172.16.0.0", 12], // RFC 1918
  ["192.0.0.0", 24], // IETF protocol assignments (some metadata endpoints live here)
  ["192.168.0.0", 16], // RFC 1918
  ["198.18.0.0", 15], // benchmarking, used inside some networks
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and 255.255.255.255 broadcast
] as const) {
  blocked.addSubnet(net, bits, "ipv4");
}
for (const [net, bits] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["::", 96], // IPv4-compatible (deprecated): would smuggle an IPv4 address
  ["64:ff9b::", 96], // NAT64: reaches the embedded IPv4 address
  ["64:ff9b:1::", 48], // local-use NAT64
  ["2002::", 16], // 6to4: embeds an IPv4 address
  ["fc00::", 7], // unique local (includes AWS's IPv6 metadata address fd00:ec2::254)
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  blocked.addSubnet(net, bits, "ipv6");
}

/** Names that resolve to a metadata service inside a cloud, whatever the local resolver says. */
const BLOCKED_NAMES = new Set(["metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal"]);

/** Whether an address is internal: loopback, private, link-local, CGNAT, unique-local, unspecified, multicast, metadata. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true; // not an address: refuse rather than guess
  // BlockList matches IPv4-mapped IPv6 (::ffff:10.0.0.1) against the IPv4 rules too
  return blocked.check(address, family === 4 ? "ipv4" : "ipv6");
}

const refused = (message: string) => new AppError("validation_failed", `url: ${message}`, [{ path: "url", message }]);

/** The URL's shape: http(s), a host, no credentials, no fragment. Throws a 400 naming `url`. */
export function parseWebhookUrl(raw: string): URL {
  if (!URL.canParse(raw)) throw refused("must be an absolute http or https URL");
  const url = new URL(raw);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw refused("must use https or http");
  if (!url.hostname) throw refused("must name a host");
  // credentials in the URL would be shown in the console and the audit trail; use the signing secret instead
  if (url.username || url.password) throw refused("must not contain a user name or password");
  if (url.hash) throw refused("must not contain a fragment");
  return url;
}

const LOOKUP_TIMEOUT_MS = 5_000;

/** Every address a host name resolves to (IPv4 and IPv6), with a timeout: getaddrinfo can hang. */
export function resolveAll(hostname: string): Promise<{ address: string; family: number }[]> {
  const literal = hostname.replace(/^\[(.*)\]$/, "$1");
  const family = isIP(literal);
  if (family !== 0) return Promise.resolve([{ address: literal, family }]);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`resolving ${hostname} timed out`)), LOOKUP_TIMEOUT_MS);
    timer.unref();
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
      clearTimeout(timer);
      if (err) reject(new Error(`could not resolve ${hostname} (${err.code ?? err.message})`));
      else resolve(addresses);
    });
  });
}

/**
 * Resolves the URL's host and refuses it when any address is internal (one bad address is enough: a client may
 * connect to any of them). Returns the checked addresses, which the sender connects to and nothing else.
 */
export async function checkWebhookTarget(url: URL, policy: UrlPolicy): Promise<{ address: string; family: number }[]> {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "").toLowerCase();
  if (!policy.allowPrivate && (BLOCKED_NAMES.has(host) || host === "localhost" || host.endsWith(".localhost"))) {
    throw refused("points at an internal address; webhooks must target a public host");
  }
  let addresses: { address: string; family: number }[];
  try {
    addresses = await resolveAll(host);
  } catch (e) {
    throw refused((e as Error).message);
  }
  if (addresses.length === 0) throw refused(`could not resolve ${host}`);
  if (!policy.allowPrivate && addresses.some((a) => isBlockedAddress(a.address))) {
    throw refused("points at an internal address; webhooks must target a public host");
  }
  return addresses;
}

/** Parses and checks a webhook URL for creation or update; returns it normalised. */
export async function validateWebhookUrl(raw: string, policy: UrlPolicy = defaultUrlPolicy()): Promise<string> {
  const url = parseWebhookUrl(raw);
  await checkWebhookTarget(url, policy);
  return url.toString();
}
