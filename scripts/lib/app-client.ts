/**
 * Signed-in HTTP sessions against the production server, as a browser has them: next-auth's credentials sign-in,
 * page reads, and server actions called the way React calls them (Next-Action header, arguments encoded as
 * React's reply format: the FormData argument's fields under the prefix "_1_", the argument list as part "0").
 */
import fs from "node:fs";
import path from "node:path";

/**
 * A failed fetch in one line: its own message is only "fetch failed", the socket's error is in its cause
 * (ECONNRESET, UND_ERR_SOCKET "other side closed", UND_ERR_HEADERS_TIMEOUT …).
 */
export function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return `${error.name}: ${error.message}${cause ? ` (${[cause.code, cause.message].filter(Boolean).join(" ")})` : ""}`;
}

export class SignedInClient {
  private constructor(
    readonly base: string,
    private readonly cookie: string,
  ) {}

  /** Signs in through /api/auth/callback/credentials, as the login form does. */
  static async signIn(base: string, email: string, password: string): Promise<SignedInClient> {
    const jar = new Map<string, string>();
    const keep = (response: Response) => {
      for (const header of response.headers.getSetCookie()) {
        const [pair] = header.split(";");
        const eq = pair!.indexOf("=");
        jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
      }
    };
    const header = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
    const csrf = await fetch(`${base}/api/auth/csrf`);
    keep(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const response = await fetch(`${base}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: header() },
      body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
      redirect: "manual",
    });
    keep(response);
    if (![...jar.keys()].some((name) => name.includes("session-token"))) throw new Error(`sign-in as ${email} failed (status ${response.status})`);
    return new SignedInClient(base, header());
  }

  async get(urlPath: string, timeoutMs = 60_000): Promise<{ status: number; text: string; ms: number }> {
    const started = performance.now();
    const response = await fetch(`${this.base}${urlPath}`, { headers: { cookie: this.cookie }, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    return { status: response.status, text, ms: performance.now() - started };
  }

  /** A JSON POST from this site's own page (same Origin), as the app's client components send them. */
  async postJson(urlPath: string, body: unknown, timeoutMs = 60_000): Promise<{ status: number; text: string; ms: number }> {
    const started = performance.now();
    const response = await fetch(`${this.base}${urlPath}`, {
      method: "POST",
      headers: { cookie: this.cookie, "content-type": "application/json", origin: this.base },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, text: await response.text(), ms: performance.now() - started };
  }

  /** A multipart upload, as the app's import forms send it (the file in the field "file"). */
  async upload(
    urlPath: string,
    file: { fields: Record<string, string>; bytes: Uint8Array; fileName: string; timeoutMs?: number; headers?: Record<string, string> },
  ): Promise<{ status: number; text: string }> {
    const { fields, bytes, fileName, timeoutMs = 120_000, headers = {} } = file;
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    body.append("file", new Blob([bytes as Uint8Array<ArrayBuffer>]), fileName);
    const response = await fetch(`${this.base}${urlPath}`, { method: "POST", headers: { ...headers, cookie: this.cookie }, body, signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, text: await response.text() };
  }

  /**
   * Calls a form action `(previousState, formData)` on the page at urlPath. Returns the HTTP status and the
   * body (React's flight format; the action's result object appears in it as JSON).
   */
  async formAction(urlPath: string, actionId: string, fields: Record<string, string>, timeoutMs = 60_000): Promise<{ status: number; text: string; redirect: string | null }> {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.append(`_1_${name}`, value);
    body.append("0", JSON.stringify(["$undefined", "$K1"]));
    const response = await fetch(`${this.base}${urlPath}`, {
      method: "POST",
      headers: { cookie: this.cookie, "next-action": actionId, accept: "text/x-component", origin: this.base },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, text: await response.text(), redirect: response.headers.get("x-action-redirect") };
  }
}

/** The id Next gave a server action in a build (from the build's server-reference manifest). */
export function serverActionId(dist: string, exportedName: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, "server", "server-reference-manifest.json"), "utf8")) as { node: Record<string, { exportedName?: string }> };
  const found = Object.entries(manifest.node).find(([, entry]) => entry.exportedName === exportedName);
  if (!found) throw new Error(`the build in ${dist} has no server action ${exportedName}`);
  return found[0];
}
