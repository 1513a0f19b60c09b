import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * A request must not be lost when the server's event loop stalls for a few seconds (a busy machine, a long
 * synchronous statement of the embedded database, a route's first load). Node's http server closes a kept-alive
 * connection 5 s after its last response by default; after a longer stall that timer fires before the server reads
 * a request that arrived on the connection meanwhile, and the client gets ECONNRESET ("fetch failed" in
 * bench:import-load, docs/reliability.md). The app is therefore started with a longer keep-alive timeout, in
 * package.json's start script, which every other way of starting it goes through.
 */
const root = path.resolve(import.meta.dirname, "../../..");
const startScript = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.start!;
const configured = /--keepAliveTimeout[ =](\d+)/.exec(startScript);
const keepAliveMs = configured ? Number(configured[1]) : 5_000; // Node's default when the flag is absent
const STALL_MS = 6_000;

/** A server with the app's keep-alive timeout whose event loop stalls (without using a CPU) right after answering /stall. */
const SERVER = `
const http = require("node:http");
const server = http.createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    response.end("answered " + request.url);
    // In the check phase, as a long synchronous statement after an I/O callback: the timers run before the next read.
    if (request.url === "/stall") setImmediate(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${STALL_MS}));
  });
});
server.keepAliveTimeout = ${keepAliveMs};
server.listen(0, "127.0.0.1", () => process.send(server.address().port));
`;

describe("the app server's keep-alive timeout", () => {
  it("is set where the app is started, and every start script goes through it", () => {
    expect(keepAliveMs).toBeGreaterThanOrEqual(65_000);
    for (const file of ["scripts/quickstart.sh", "tests/e2e/start-server.sh", "scripts/lib/app-server.ts"]) {
      const text = fs.readFileSync(path.join(root, file), "utf8");
      expect(text, file).not.toMatch(/npx next start|\["next", "start"/);
      expect(text, file).toMatch(/npm start|"npm", \["start"/);
    }
  });

  it(`keeps a request sent on a kept-alive connection during a ${STALL_MS / 1000} s stall: it is answered late, not reset`, async () => {
    const child = spawn(process.execPath, ["-e", SERVER], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    try {
      const port = await new Promise<number>((resolve) => child.once("message", (message) => resolve(Number(message))));
      const base = `http://127.0.0.1:${port}`;
      expect(await (await fetch(`${base}/stall`, { method: "POST", body: "first page" })).text()).toBe("answered /stall");
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The same (pooled, idle) connection carries the next save while the server is stalled.
      const next = await fetch(`${base}/next`, { method: "POST", body: "next page" }).then(
        async (response) => response.text(),
        (error: Error & { cause?: { code?: string } }) => `${error.message} (${error.cause?.code})`,
      );
      expect(next).toBe("answered /next");
    } finally {
      child.kill();
    }
  }, 30_000);
});
