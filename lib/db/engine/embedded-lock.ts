import fs from "node:fs";
import path from "node:path";

/**
 * PGlite is single-process: two processes opening one data directory can corrupt it. The process that opens
 * the directory writes its pid into a lock file beside it; any other process that finds a live owner refuses.
 */
export class EmbeddedDatabaseBusyError extends Error {
  constructor(readonly ownerPid: number, readonly dataDir: string) {
    super(
      `The embedded database at ${dataDir} is open in another process (pid ${ownerPid}, usually the running app server). ` +
        `Stop that process first, or run this command against a PostgreSQL server with DATABASE_URL.`,
    );
  }
}

function lockPath(dataDir: string): string {
  return `${dataDir.replace(/[/\\]+$/, "")}.lock`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A killed process that nobody has reaped yet (a zombie) still answers signal 0, but it has closed its files
  // and will never write again: its lock is stale. Only Linux says so, in /proc; elsewhere signal 0 decides.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return !fs.existsSync("/proc/self/stat"); // with /proc the process has just ended; without it, signal 0 decides
  }
}

/** The pid of a live process holding the directory, or null. A lock left by a dead process is ignored. */
export function findEmbeddedOwner(dataDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(lockPath(dataDir), "utf8").trim());
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Takes the lock for this process or throws EmbeddedDatabaseBusyError. Returns a release function; the lock is
 * also released when the process exits normally (a killed process leaves a stale lock, which is ignored).
 */
export function acquireEmbeddedLock(dataDir: string): () => void {
  fs.mkdirSync(path.dirname(lockPath(dataDir)), { recursive: true });
  const owner = findEmbeddedOwner(dataDir);
  if (owner !== null) throw new EmbeddedDatabaseBusyError(owner, dataDir);
  const file = lockPath(dataDir);
  // Write to a temporary file and rename, so a reader never sees a half-written pid.
  const temp = `${file}.${process.pid}`;
  fs.writeFileSync(temp, String(process.pid));
  fs.renameSync(temp, file);
  const release = () => {
    try {
      if (fs.readFileSync(file, "utf8").trim() === String(process.pid)) fs.unlinkSync(file);
    } catch {
      // already gone
    }
  };
  process.once("exit", release);
  return release;
}
