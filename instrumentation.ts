/**
 * Runs once when the app server starts (Next.js instrumentation): checks the environment, then recovers
 * interrupted runner jobs. The Node.js part lives in its own file so that no other runtime bundles the database.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServer } = await import("./instrumentation-node");
    await startServer();
  }
}
