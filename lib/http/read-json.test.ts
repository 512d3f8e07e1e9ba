import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { readJson } from "./read-json";

const MAX = 1024;

function post(body: BodyInit | null, headers: Record<string, string> = { "content-type": "application/json" }) {
  return new Request("http://localhost:3000/api/v1/x", { method: "POST", headers, body });
}

/** A body with no Content-Length, delivered chunk by chunk, as a client using chunked encoding would send it. */
function streamed(chunks: Iterable<string>, headers: Record<string, string> = { "content-type": "application/json" }, onCancel?: () => void) {
  const source = chunks[Symbol.iterator]();
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = source.next();
      if (next.done) return controller.close();
      pulled++;
      controller.enqueue(new TextEncoder().encode(next.value));
    },
    cancel: onCancel,
  });
  const request = new Request("http://localhost:3000/api/v1/x", { method: "POST", headers, body, duplex: "half" } as RequestInit);
  return { request, pulled: () => pulled };
}

/** 100 bytes of JSON whitespace, forever: only a reader that stops at the limit returns. */
function* endlessSpaces() {
  for (;;) yield " ".repeat(100);
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("readJson resolved");
}

describe("readJson", () => {
  it.each(["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8", "application/merge-patch+json"])(
    "reads a body sent as %s",
    async (type) => {
      await expect(readJson(post('{"a":[1,{"b":null}]}', { "content-type": type }), MAX)).resolves.toEqual({ a: [1, { b: null }] });
    },
  );

  it("reads a JSON body that is exactly at the limit", async () => {
    const text = `"${"x".repeat(MAX - 2)}"`;
    expect(Buffer.byteLength(text)).toBe(MAX);
    await expect(readJson(post(text), MAX)).resolves.toBe("x".repeat(MAX - 2));
  });

  it("decodes UTF-8", async () => {
    await expect(readJson(post('{"name":"Zoë ✓"}'), MAX)).resolves.toEqual({ name: "Zoë ✓" });
  });

  it.each([
    ["text/plain", { "content-type": "text/plain" }],
    ["no content type", {} as Record<string, string>],
    ["form encoding", { "content-type": "application/x-www-form-urlencoded" }],
    ["application/jsonp", { "content-type": "application/jsonp" }],
    ["text/json", { "content-type": "text/json" }],
  ])("answers 415 for %s", async (_, headers) => {
    // new Request() would default a string body to text/plain; a Blob without a type sends no Content-Type
    const e = await rejection(readJson(post(new Blob(['{"a":1}']), headers), MAX));
    expect([e.status, e.code, e.message]).toEqual([415, "unsupported_media_type", "Send the body as application/json"]);
  });

  it("answers 413 on the declared Content-Length, before reading", async () => {
    const e = await rejection(readJson(post("{}", { "content-type": "application/json", "content-length": String(MAX + 1) }), MAX));
    expect([e.status, e.code, e.message]).toEqual([413, "payload_too_large", `Request body is larger than ${MAX} bytes`]);
  });

  it("answers 413 while streaming a body with no Content-Length, and stops reading it", async () => {
    let cancelled = false;
    const { request, pulled } = streamed(endlessSpaces(), undefined, () => (cancelled = true));
    expect(request.headers.get("content-length")).toBeNull();
    const e = await rejection(readJson(request, MAX));
    expect([e.status, e.code, e.message]).toEqual([413, "payload_too_large", `Request body is larger than ${MAX} bytes`]);
    expect(cancelled).toBe(true);
    // it read just past the limit (the stream may pull a chunk or two ahead), not on and on
    expect(pulled()).toBeLessThanOrEqual(Math.ceil(MAX / 100) + 2);
  });

  it("answers 413 when the declared length lies (declares 10 bytes, sends more than the limit)", async () => {
    const { request } = streamed(endlessSpaces(), { "content-type": "application/json", "content-length": "10" });
    const e = await rejection(readJson(request, MAX));
    expect([e.status, e.code]).toEqual([413, "payload_too_large"]);
  });

  it("reads a streamed body under the limit", async () => {
    const { request } = streamed([" ".repeat(500), '{"ok":', "true}", " ".repeat(100)]);
    await expect(readJson(request, MAX)).resolves.toEqual({ ok: true });
  });

  it("reads a multi-byte character split across chunks", async () => {
    const bytes = new TextEncoder().encode('"✓"'); // the check mark is 3 bytes
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, 2));
        c.enqueue(bytes.slice(2));
        c.close();
      },
    });
    const request = new Request("http://localhost:3000/", { method: "POST", headers: { "content-type": "application/json" }, body, duplex: "half" } as RequestInit);
    await expect(readJson(request, MAX)).resolves.toBe("✓");
  });

  it.each([
    ["no body", null],
    ["an empty body", ""],
    ["whitespace", " \n\t "],
  ])("answers 400 for %s", async (_, body) => {
    const e = await rejection(readJson(post(body), MAX));
    expect([e.status, e.code, e.message]).toEqual([400, "bad_request", "Request body is empty"]);
  });

  it.each(["{", "{'a':1}", "undefined", '{"a":1}}', "NaN"])("answers 400 for invalid JSON %j", async (body) => {
    const e = await rejection(readJson(post(body), MAX));
    expect([e.status, e.code, e.message]).toEqual([400, "bad_request", "Request body is not valid JSON"]);
  });
});
