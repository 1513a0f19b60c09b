/**
 * Runs once when the app server starts (Next.js instrumentation). The Node.js part lives in its own file so that
 * no other runtime bundles the database.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { recoverJobsAtStart } = await import("./instrumentation-node");
    await recoverJobsAtStart();
  }
}
