import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDatabase } from "@/lib/db";
import { verifySignIn } from "@/lib/db/sign-in";
import { findActiveUserByEmail, findSessionUser } from "@/lib/db/users";
import { authSecret, oidcSettings, siteUrl } from "@/lib/env";
import { clientAddress } from "@/lib/security/client-address";
import { signInSchema } from "@/lib/validation/users";

/** The client address by the same rule as the participant limits (lib/security/client-address.ts). */
function signInAddress(headers: Record<string, unknown> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"];
  return clientAddress(Array.isArray(forwarded) ? forwarded.join(",") : typeof forwarded === "string" ? forwarded : "");
}

const SESSION_HOURS = 8;

export function buildAuthOptions(): NextAuthOptions {
  const oidc = oidcSettings();
  const secureCookies = (siteUrl() ?? "").startsWith("https://");
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_HOURS * 3600 },
    useSecureCookies: secureCookies,
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, request) {
          const parsed = signInSchema.safeParse(credentials ?? {});
          if (!parsed.success) throw new Error("invalid");
          const db = await getDatabase();
          const result = await verifySignIn(db, { ...parsed.data, address: signInAddress(request?.headers) });
          // The message becomes the ?error= code the sign-in form turns into words.
          if (!result.ok) throw new Error(result.reason);
          return { id: result.user.id, email: result.user.email, name: result.user.name, sessionVersion: result.user.sessionVersion };
        },
      }),
      ...(oidc
        ? [
            {
              id: "oidc",
              name: oidc.name,
              type: "oauth" as const,
              wellKnown: `${oidc.issuer}/.well-known/openid-configuration`,
              clientId: oidc.clientId,
              clientSecret: oidc.clientSecret,
              authorization: { params: { scope: "openid email profile" } },
              idToken: true,
              checks: ["pkce" as const, "state" as const],
              profile(profile: { sub: string; email?: string; name?: string }) {
                return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.email ?? null };
              },
            },
          ]
        : []),
    ],
    callbacks: {
      // Single sign-on never creates accounts: the email must belong to an active account an admin made.
      async signIn({ user, account }) {
        if (account?.provider === "credentials") return true;
        if (!user.email) return false;
        return Boolean(await findActiveUserByEmail(await getDatabase(), user.email));
      },
      async jwt({ token, user, account }) {
        if (user && account) {
          if (account.provider === "credentials") {
            const signedIn = user as { id: string; sessionVersion: number };
            token.uid = signedIn.id;
            token.sv = signedIn.sessionVersion;
          } else {
            const local = user.email ? await findActiveUserByEmail(await getDatabase(), user.email) : null;
            if (local) {
              token.uid = local.id;
              token.sv = local.sessionVersion;
            }
          }
        }
        return token;
      },
      // Checked against the database on every read (also what /api/auth/session answers): an old cookie of a
      // deactivated account, or one whose sessions were ended, gets an empty session rather than its name and email.
      async session({ session, token }) {
        const current = typeof token.uid === "string" && typeof token.sv === "number" ? await findSessionUser(await getDatabase(), token.uid, token.sv) : null;
        if (!current) return { expires: session.expires } as typeof session;
        return { ...session, user: { name: current.name, email: current.email }, uid: token.uid, sv: token.sv };
      },
    },
  };
}

let cached: NextAuthOptions | null = null;
export function authOptions(): NextAuthOptions {
  cached ??= buildAuthOptions();
  return cached;
}
