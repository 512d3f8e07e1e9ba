// The decisions bench's calibration: a Node HTTP server that reads each request and answers a fixed small JSON at
// once. The same client at the same rate against it shows what the machine alone (scheduling, loopback, the
// client's own timing) puts into the latency figures. Port in argv[2]; answers GET / too, for waitForHttp200.
import http from "node:http";

const answer = Buffer.from('{"decision":"allow","reasons":[]}');
http
  .createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "content-length": answer.length });
      res.end(answer);
    });
  })
  .listen(Number(process.argv[2]), "127.0.0.1");
