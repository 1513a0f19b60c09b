/**
 * Whether a process with this pid exists on this host (signal 0 checks without sending anything; EPERM means it
 * exists but belongs to someone else). The job recoveries use it to tell a job whose server died from one still
 * being run by another live process.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
