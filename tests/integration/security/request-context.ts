import { NextRequest } from "next/server";

/**
 * The request as the app's server code sees it, set by the security tests before each call: who is signed in
 * (what next-auth's getServerSession would decode from the session cookie), the cookies and the headers.
 * The test files mock next-auth's getServerSession, next/headers and next/cache to read from here; everything
 * behind them (lib/auth/session, lib/db and its permission checks) runs for real against a real database.
 */
export type SessionToken = { uid: string; sv: number };

type RequestState = {
  session: SessionToken | null;
  cookies: Map<string, string>;
  headers: Headers;
};

const holder = globalThis as unknown as { varstudySecurityRequest?: RequestState };

export function requestState(): RequestState {
  holder.varstudySecurityRequest ??= { session: null, cookies: new Map(), headers: new Headers() };
  return holder.varstudySecurityRequest;
}

/** Starts a new simulated request: this session (or none), these cookies and headers. */
export function setRequest(input: { session: SessionToken | null; cookies?: Record<string, string>; headers?: Record<string, string> }): void {
  const state = requestState();
  state.session = input.session;
  state.cookies = new Map(Object.entries(input.cookies ?? {}));
  state.headers = new Headers(input.headers ?? {});
}

/** What next/headers' cookies() returns in the tests: reads and writes the simulated request's cookies. */
export function cookieJar() {
  const state = requestState();
  return {
    get: (name: string) => (state.cookies.has(name) ? { name, value: state.cookies.get(name)! } : undefined),
    has: (name: string) => state.cookies.has(name),
    getAll: () => [...state.cookies.entries()].map(([name, value]) => ({ name, value })),
    set: (nameOrCookie: string | { name: string; value: string }, value?: string) => {
      if (typeof nameOrCookie === "string") state.cookies.set(nameOrCookie, value ?? "");
      else state.cookies.set(nameOrCookie.name, nameOrCookie.value);
    },
    delete: (name: string) => state.cookies.delete(name),
  };
}

/** A route-handler request carrying the simulated request's cookies and headers. */
export function routeRequest(url: string, init: { method?: string; body?: BodyInit; headers?: Record<string, string> } = {}): NextRequest {
  const state = requestState();
  const headers = new Headers(state.headers);
  for (const [name, value] of Object.entries(init.headers ?? {})) headers.set(name, value);
  if (state.cookies.size > 0) headers.set("cookie", [...state.cookies.entries()].map(([name, value]) => `${name}=${value}`).join("; "));
  return new NextRequest(new URL(url, "http://localhost:3000"), { method: init.method ?? "GET", headers, body: init.body });
}

/** Next's redirect() throws an error whose digest names the target; the tests treat it as the action's answer. */
export function redirectTarget(error: unknown): string | null {
  const digest = (error as { digest?: unknown } | null)?.digest;
  if (typeof digest !== "string" || !digest.startsWith("NEXT_REDIRECT")) return null;
  return digest.split(";")[2] ?? null;
}

/** A form's fields as a browser posts them; an array is one field sent once per item (checkboxes). */
export function formData(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const item of [value].flat()) data.append(key, item);
  return data;
}

/** A server action's answer, or `{ redirect }` where it ended in Next's redirect() (which throws). */
export async function callAction<T>(run: () => Promise<T>): Promise<T | { redirect: string }> {
  try {
    return await run();
  } catch (error) {
    const target = redirectTarget(error);
    if (target === null) throw error;
    return { redirect: target };
  }
}
