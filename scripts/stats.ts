/**
 * Command-line face of lib/stats: `npx tsx scripts/stats.ts <command>` reads one JSON object on stdin
 * and writes one JSON object on stdout. Invalid input exits 1 with {"error": "..."} on stderr.
 * Stateless and idempotent: it reads nothing but stdin and writes nothing but stdout/stderr.
 */
import { isStatsInputError } from "@/lib/stats/errors";
import { runStatsCommand, statsHelpText } from "@/lib/stats/commands";

function fail(message: string): never {
  process.stderr.write(`${JSON.stringify({ error: message })}\n`);
  process.exit(1);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length === 0 || args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`${statsHelpText()}\n`);
    if (args.length === 0) process.exit(1);
    return;
  }
  if (args.length > 1) fail(`Expected exactly one command, got: ${args.join(" ")}.`);
  const command = args[0]!;
  if (process.stdin.isTTY) fail(`${command} reads one JSON object on stdin; see --help.`);
  const text = (await readStdin()).trim();
  if (text === "") fail(`${command} needs one JSON object on stdin, got nothing.`);
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    fail("stdin is not valid JSON.");
  }
  const result = runStatsCommand(command, input);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  if (isStatsInputError(error)) fail(error.message);
  fail(`Internal error: ${error instanceof Error ? error.message : String(error)}`);
});
