import fs from "node:fs";

/**
 * CPU seconds used so far by every process in a process group (e.g. `next start` and its server child), read from
 * /proc. On a shared machine the wall-clock rate depends on whatever else runs; CPU spent per request much less,
 * so benchmarks report both.
 */
export function processGroupCpuSeconds(pgid: number): number {
  const ticksPerSecond = 100; // USER_HZ on Linux
  let ticks = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the parenthesised command name start at state (3): ppid(4) pgrp(5) … utime(14) stime(15).
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended while we looked
    }
  }
  return ticks / ticksPerSecond;
}
