// A real HTTP receiver for webhook tests: node:http on 127.0.0.1, recording every request and answering with the
// statuses it is told, in order (the last one repeats).
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Received = { headers: http.IncomingHttpHeaders; body: string; method: string; url: string };

export type Receiver = {
  url: string;
  received: Received[];
  /** statuses to answer with, in order; the last repeats. "hang" never answers. */
  answers: (number | "hang")[];
  close: () => Promise<void>;
};

export async function startReceiver(answers: (number | "hang")[] = [200], extraHeaders: Record<string, string> = {}): Promise<Receiver> {
  const received: Received[] = [];
  const hanging: http.ServerResponse[] = [];
  const receiver = { received, answers } as Receiver;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), method: req.method ?? "", url: req.url ?? "" });
      const answer = receiver.answers[Math.min(received.length - 1, receiver.answers.length - 1)] ?? 200;
      if (answer === "hang") return void hanging.push(res);
      res.writeHead(answer, { "content-type": "text/plain", ...extraHeaders });
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${port}/hook`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
