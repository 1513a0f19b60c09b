/**
 * npm run setup:tensorflow — installs the runner's native `tensorflow` backend without tfjs-node's own
 * download (which is blocked on closed networks and answers 403 for many users elsewhere, tensorflow/tfjs#8742):
 *
 *   1. TensorFlow's C library and headers from the `tensorflow-cpu` pip wheel (pip download: a configured
 *      local index here, PyPI elsewhere), extracted once into a cache outside the checkout that every checkout
 *      on the machine reuses (~850 MB);
 *   2. @tensorflow/tfjs-node from npm without its install script (not saved to package.json: a plain `npm ci`
 *      must work where this was never run);
 *   3. node_modules/@tensorflow/tfjs-node/deps/{include,lib} pointing into the cache, with the file names its
 *      build expects;
 *   4. the N-API binding compiled from source (`npm rebuild` with build_from_source; ~20 s, then cached too);
 *   5. a check, in a child process, that the backend loads and trains one step.
 *
 * Idempotent: each step checks what is already there. One clear line on failure, exit code 1.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, readdirSync, readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readlink, rename, rm, symlink, writeFile, lstat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  TENSORFLOW_LIBRARIES,
  TENSORFLOW_WHEEL,
  TFJS_NODE_PACKAGE,
  TFJS_NODE_VERSION,
  tensorflowCacheDirectory,
  findBinding,
  tensorflowInstallStatus,
  tfjsNodeDirectory,
  varstudyCacheDirectory,
} from "../lib/runner/backend/tensorflow-install";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const HELP = `Usage: npm run setup:tensorflow -- [options]

Installs the runner's native backend (--backend tensorflow): TensorFlow ${TENSORFLOW_WHEEL.version}'s C library from
the ${TENSORFLOW_WHEEL.name} pip wheel (about 270 MB to download, 850 MB unpacked, kept once per machine in
${tensorflowCacheDirectory()}), and ${TFJS_NODE_PACKAGE} ${TFJS_NODE_VERSION} built against it.
Needs Linux x86-64, Python 3 with pip, make and a C++ compiler. Safe to run again: finished steps are skipped.

Options:
  --wheel <file>   use this ${TENSORFLOW_WHEEL.name} ${TENSORFLOW_WHEEL.version} wheel instead of running pip download
  --force          extract the library and build the binding again even when cached
  --check          only report whether the backend is installed (exit 0) or not (exit 1)
  --help           show this help

Environment: VARSTUDY_CACHE_DIR (cache folder; default $XDG_CACHE_HOME/varstudy or ~/.cache/varstudy),
PYTHON (the Python that runs pip; default python3).
`;

class SetupError extends Error {}

type Options = { wheel?: string; force: boolean; check: boolean };

function parseOptions(argv: string[]): Options | "help" {
  const options: Options = { force: false, check: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") return "help";
    else if (arg === "--force") options.force = true;
    else if (arg === "--check") options.check = true;
    else if (arg === "--wheel") {
      const value = argv[++i];
      if (!value || value.startsWith("--")) throw new SetupError("--wheel needs a file");
      options.wheel = path.resolve(value);
    } else throw new SetupError(`unknown option ${arg} (see --help)`);
  }
  return options;
}

const TOTAL_STEPS = 5;
let stepNumber = 0;
function step(title: string): void {
  stepNumber += 1;
  process.stdout.write(`==> [${stepNumber}/${TOTAL_STEPS}] ${title}\n`);
}
const note = (line: string) => process.stdout.write(`    ${line}\n`);

/** Runs a command with inherited output (pip's own progress bar shows); throws SetupError with `failure`. */
function runVisible(command: string, args: string[], failure: string, env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit", env });
  if (result.error) throw new SetupError(`${failure}: ${result.error.message}`);
  if (result.status !== 0) throw new SetupError(`${failure} (exit code ${result.status})`);
}

/** Runs a long, chatty command with its output in a log file and an elapsed-time line instead. */
async function runLogged(run: { command: string; args: string[]; logFile: string; env: NodeJS.ProcessEnv; label: string }): Promise<boolean> {
  const { command, args, logFile, env, label } = run;
  await mkdir(path.dirname(logFile), { recursive: true });
  const { openSync, closeSync } = await import("node:fs");
  const fd = openSync(logFile, "w");
  const started = Date.now();
  const tty = process.stdout.isTTY === true;
  const ticker = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    if (tty) process.stdout.write(`\r    ${label}… ${seconds} s`);
    else if (seconds % 30 === 0) note(`${label}… ${seconds} s`);
  }, 1000);
  try {
    const code = await new Promise<number>((resolve) => {
      const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", fd, fd] });
      child.on("error", () => resolve(-1));
      child.on("exit", (status) => resolve(status ?? -1));
    });
    if (tty) process.stdout.write("\n");
    note(`${label}: ${code === 0 ? "done" : "failed"} in ${Math.round((Date.now() - started) / 1000)} s (log: ${path.relative(ROOT, logFile)})`);
    return code === 0;
  } finally {
    clearInterval(ticker);
    closeSync(fd);
  }
}

function lastLines(file: string, count: number): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-count).join("\n");
  } catch {
    return "";
  }
}

function checkPrerequisites(python: string): void {
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new SetupError(
      `the tensorflow backend is set up for Linux x86-64 only (this is ${process.platform}-${process.arch}); use --backend wasm`,
    );
  }
  const pip = spawnSync(python, ["-m", "pip", "--version"], { stdio: "ignore" });
  if (pip.status !== 0) throw new SetupError(`'${python} -m pip' does not run: install Python 3 with pip, or set PYTHON`);
  for (const tool of ["make", "g++"]) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" }).status !== 0) {
      throw new SetupError(`'${tool}' is missing; it is needed to compile the binding (Debian/Ubuntu: apt-get install build-essential)`);
    }
  }
}

async function sha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The TensorFlow headers tfjs-node's binding sources include (the C API, and a string header from core). */
function bindingHeaders(): string[] {
  const directory = path.join(tfjsNodeDirectory(ROOT), "binding");
  const headers = new Set<string>();
  for (const file of readdirSync(directory)) {
    for (const match of readFileSync(path.join(directory, file), "utf8").matchAll(/#include "(tensorflow\/[^"]+)"/g)) headers.add(match[1]!);
  }
  return [...headers];
}

/** Step 2: the C library and headers in the shared cache. */
async function ensureLibraryCache(options: Options, python: string): Promise<string> {
  const cacheDirectory = tensorflowCacheDirectory();
  const marker = path.join(cacheDirectory, "complete.json");
  step(`TensorFlow ${TENSORFLOW_WHEEL.version} C library (cache: ${cacheDirectory})`);
  const complete = existsSync(marker) && TENSORFLOW_LIBRARIES.every((library) => existsSync(path.join(cacheDirectory, "lib", library)));
  if (complete && !options.force) {
    note("already in the cache; reusing it");
    return cacheDirectory;
  }
  const parent = varstudyCacheDirectory();
  await mkdir(parent, { recursive: true });
  const work = await mkdtemp(path.join(parent, `.tensorflow-${TENSORFLOW_WHEEL.version}-`));
  try {
    let wheel = options.wheel;
    if (wheel) {
      if (!existsSync(wheel)) throw new SetupError(`--wheel ${wheel}: no such file`);
      note(`using ${wheel}`);
    } else {
      note(`pip download ${TENSORFLOW_WHEEL.name}==${TENSORFLOW_WHEEL.version} (about 270 MB)`);
      const downloads = path.join(work, "download");
      runVisible(
        python,
        ["-m", "pip", "download", `${TENSORFLOW_WHEEL.name}==${TENSORFLOW_WHEEL.version}`, "--no-deps", "--only-binary=:all:", "--progress-bar", "on", "-d", downloads],
        `pip could not download ${TENSORFLOW_WHEEL.name}==${TENSORFLOW_WHEEL.version} (it needs PyPI or a configured index; or pass --wheel <file>)`,
      );
      const found = readdirSync(downloads).find((name) => name.endsWith(".whl"));
      if (!found) throw new SetupError(`pip reported success but left no wheel in ${downloads}`);
      wheel = path.join(downloads, found);
    }
    note("extracting the libraries and C API headers");
    const extracted = path.join(work, "tensorflow");
    runVisible(python, [path.join(ROOT, "scripts", "lib", "extract-libtensorflow.py"), wheel, extracted, ...bindingHeaders()], `could not extract TensorFlow's C library from ${path.basename(wheel)}`);
    await writeFile(
      path.join(extracted, "complete.json"),
      `${JSON.stringify({ wheel: path.basename(wheel), wheelSha256: await sha256(wheel), extractedAt: new Date().toISOString() }, null, 2)}\n`,
    );
    // Replace any previous (partial or forced) copy only now, so an interrupted run never leaves a half cache.
    await rm(cacheDirectory, { recursive: true, force: true });
    await rename(extracted, cacheDirectory);
    note("cached");
    return cacheDirectory;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function installedTfjsNodeVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(tfjsNodeDirectory(ROOT), "package.json"), "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Step 1: the npm package, without its install script and without touching package.json or the lock file. */
function ensureTfjsNodePackage(): void {
  step(`${TFJS_NODE_PACKAGE} ${TFJS_NODE_VERSION} from npm (install script off)`);
  if (!existsSync(path.join(ROOT, "node_modules", "@tensorflow", "tfjs", "package.json"))) {
    throw new SetupError("node_modules is missing or incomplete: run `npm ci` first");
  }
  if (installedTfjsNodeVersion() === TFJS_NODE_VERSION) {
    note("already installed");
    return;
  }
  runVisible(
    "npm",
    ["install", "--no-save", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error", `${TFJS_NODE_PACKAGE}@${TFJS_NODE_VERSION}`],
    `npm could not install ${TFJS_NODE_PACKAGE}@${TFJS_NODE_VERSION}`,
  );
  if (installedTfjsNodeVersion() !== TFJS_NODE_VERSION) throw new SetupError(`${TFJS_NODE_PACKAGE} ${TFJS_NODE_VERSION} is still not in node_modules after npm install`);
}

/** Makes `link` a symlink to `target`, replacing whatever is there unless it already points there. */
async function ensureSymlink(target: string, link: string): Promise<void> {
  try {
    const stat = await lstat(link);
    if (stat.isSymbolicLink() && (await readlink(link)) === target) return;
    await rm(link, { recursive: true, force: true });
  } catch {
    // nothing there yet
  }
  await symlink(target, link);
}

/** Step 3: deps/{include,lib} as tfjs-node's binding.gyp and install script expect them. */
async function layOutDeps(cacheDirectory: string): Promise<void> {
  step("deps/include and deps/lib of the package, pointing into the cache");
  const deps = path.join(tfjsNodeDirectory(ROOT), "deps");
  const lib = path.join(deps, "lib");
  await mkdir(lib, { recursive: true });
  await ensureSymlink(path.join(cacheDirectory, "include"), path.join(deps, "include"));
  for (const library of TENSORFLOW_LIBRARIES) await ensureSymlink(path.join(cacheDirectory, "lib", library), path.join(lib, library));
  // The linker's names (-ltensorflow, -ltensorflow_framework); at run time the binding asks for the sonames above.
  await ensureSymlink("libtensorflow_cc.so.2", path.join(lib, "libtensorflow.so"));
  await ensureSymlink("libtensorflow_framework.so.2", path.join(lib, "libtensorflow_framework.so"));
  // tfjs-node's install script downloads libtensorflow 2.9.1 unless this file exists.
  await ensureSymlink("libtensorflow_cc.so.2", path.join(lib, "libtensorflow.so.2.9.1"));
  note(`${path.relative(ROOT, deps)} → ${cacheDirectory}`);
}

/** Step 4: the compiled binding, from the cache when this exact combination was built before. */
async function ensureBinding(options: Options, cacheDirectory: string): Promise<void> {
  step("N-API binding compiled against the C library");
  const packageDirectory = tfjsNodeDirectory(ROOT);
  // The binding finds the libraries through its rpath ($ORIGIN/../../deps/lib), so one build serves every
  // checkout on the machine: it is kept in the cache, with the path inside the package it belongs at.
  const cachedBuilds = path.join(cacheDirectory, "bindings", `tfjs-node-${TFJS_NODE_VERSION}-${process.platform}-${process.arch}`);
  const cachedRelative = existsSync(cachedBuilds) ? readdirSync(cachedBuilds).find((entry) => entry.startsWith("napi-v")) : undefined;
  const present = findBinding(packageDirectory);
  if (!options.force && cachedRelative) {
    const cachedBinding = path.join(cachedBuilds, cachedRelative, "tfjs_binding.node");
    const binding = path.join(packageDirectory, "lib", cachedRelative, "tfjs_binding.node");
    if (present === binding && (await sha256(binding)) === (await sha256(cachedBinding))) {
      note("already built");
      return;
    }
    await mkdir(path.dirname(binding), { recursive: true });
    await copyFile(cachedBinding, binding);
    note("copied from the cache (built earlier on this machine)");
    return;
  }
  const logFile = path.join(ROOT, "tmp", "setup-tensorflow-build.log");
  const ok = await runLogged({
    command: "npm",
    args: ["rebuild", TFJS_NODE_PACKAGE, "--foreground-scripts"],
    logFile,
    env: { ...process.env, npm_config_build_from_source: "true" },
    label: "compiling",
  });
  const built = findBinding(packageDirectory);
  if (!ok || !built) {
    process.stderr.write(`${lastLines(logFile, 15)}\n`);
    throw new SetupError(`building the ${TFJS_NODE_PACKAGE} binding failed; see ${path.relative(ROOT, logFile)}`);
  }
  const cachedBinding = path.join(cachedBuilds, path.basename(path.dirname(built)), "tfjs_binding.node");
  await mkdir(path.dirname(cachedBinding), { recursive: true });
  await copyFile(built, cachedBinding);
}

/** Step 5: load it in a child process (loading has process-wide effects) and train one tiny step. */
function verify(): string {
  step("check: load the backend and train one step");
  const script = `
    const tf = require(${JSON.stringify(TFJS_NODE_PACKAGE)});
    const model = tf.sequential({ layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, activation: "relu" }),
      tf.layers.maxPooling2d({ poolSize: 2 }), tf.layers.flatten(), tf.layers.dense({ units: 3, activation: "softmax" }) ] });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: "categoricalCrossentropy" });
    model.trainOnBatch(tf.ones([4, 8, 8, 1]), tf.oneHot(tf.tensor1d([0, 1, 2, 0], "int32"), 3)).then((loss) => {
      if (tf.getBackend() !== "tensorflow" || !Number.isFinite(loss)) throw new Error("unexpected result " + tf.getBackend() + " " + loss);
      process.stdout.write(JSON.stringify({ tensorflow: tf.backend().binding.TF_Version, tfjsNode: tf.version["tfjs-node"] }));
    });`;
  try {
    const output = execFileSync(process.execPath, ["-e", script], {
      cwd: ROOT,
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "2" },
      stdio: ["ignore", "pipe", "pipe"],
    }).toString();
    const versions = JSON.parse(output.slice(output.lastIndexOf("{"))) as { tensorflow: string; tfjsNode: string };
    note(`loaded: TensorFlow ${versions.tensorflow} C library, ${TFJS_NODE_PACKAGE} ${versions.tfjsNode}`);
    return versions.tensorflow;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim().split("\n").slice(-5).join("\n") ?? "";
    if (stderr) process.stderr.write(`${stderr}\n`);
    throw new SetupError(`the tensorflow backend is installed but does not load (see above); try npm run setup:tensorflow -- --force`);
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options === "help") {
    process.stdout.write(HELP);
    return 0;
  }
  if (options.check) {
    const status = tensorflowInstallStatus(ROOT);
    process.stdout.write(status.installed ? `tensorflow backend installed (${TFJS_NODE_PACKAGE} ${status.tfjsNodeVersion})\n` : `tensorflow backend not installed: ${status.reason}\n`);
    return status.installed ? 0 : 1;
  }
  const python = process.env.PYTHON || "python3";
  checkPrerequisites(python);
  const started = Date.now();
  ensureTfjsNodePackage();
  const cacheDirectory = await ensureLibraryCache(options, python);
  await layOutDeps(cacheDirectory);
  await ensureBinding(options, cacheDirectory);
  const version = verify();
  process.stdout.write(
    `tensorflow backend ready (TensorFlow ${version}) in ${Math.round((Date.now() - started) / 1000)} s: npm run variance -- run --backend tensorflow …\n` +
      `Note: npm ci removes ${TFJS_NODE_PACKAGE} (it is not in package.json); run this again afterwards (seconds: the cache is reused).\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`setup:tensorflow: ${message}\n`);
    process.exit(1);
  },
);
