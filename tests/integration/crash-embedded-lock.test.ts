import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findEmbeddedOwner } from "@/lib/db/engine/embedded-lock";

/**
 * After a SIGKILL the dead owner of the embedded database can linger as a zombie until something reaps it. It
 * still answers signal 0, but it has closed the directory: the lock it left must not keep the restarted server
 * (or the verifier) out. Found by crash-killed-import.test.ts, where the killed importer's zombie did exactly that.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "varstudy-lock-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.runIf(fs.existsSync("/proc/self/stat"))("the embedded database lock after a kill", () => {
  it("ignores an owner that is a zombie, and still honours a live one", async () => {
    // sh starts `sleep 0` in the background and becomes `sleep 5`, which never reaps it: a zombie for 5 s.
    const parent = spawn("sh", ["-c", "sleep 0 & echo $!; exec sleep 5"], { stdio: ["ignore", "pipe", "ignore"] });
    const zombiePid = Number(await new Promise<string>((resolve) => parent.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()))));
    const state = async () => {
      const stat = fs.readFileSync(`/proc/${zombiePid}/stat`, "utf8");
      return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    };
    for (let i = 0; i < 50 && (await state()) !== "Z"; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await state()).toBe("Z");
    expect(() => process.kill(zombiePid, 0)).not.toThrow();

    const dataDir = path.join(dir, "pglite");
    fs.writeFileSync(`${dataDir}.lock`, String(zombiePid));
    expect(findEmbeddedOwner(dataDir)).toBeNull();
    fs.writeFileSync(`${dataDir}.lock`, String(parent.pid));
    expect(findEmbeddedOwner(dataDir)).toBe(parent.pid);
    parent.kill("SIGKILL");
  });
});
