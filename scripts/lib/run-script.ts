/**
 * The common frame of every command-line script: `--help` prints the help and exits 0; an error ends the
 * process with one clear line (the stack only with --verbose) and exit code 1.
 */
export function runScript(help: string, main: (argv: string[]) => Promise<void>): void {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(help);
    return;
  }
  main(argv.filter((arg) => arg !== "--verbose")).then(
    () => process.exit(process.exitCode ?? 0),
    (error: unknown) => {
      if (argv.includes("--verbose")) console.error(error);
      else console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
