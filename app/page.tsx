import Link from "next/link";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { hasActiveAdmin } from "@/lib/db/users";
import { navigationFor } from "@/lib/auth/navigation";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  if (!(await hasActiveAdmin(await getDatabase()))) redirect("/setup");
  const user = await getCurrentUser();
  return (
    <>
      <h1>VarStudy</h1>
      <p className="lead">
        A platform for studying how much deep-learning results vary between identical training runs, and whether
        practitioners and papers take that variance into account: a practitioner questionnaire, blind double coding
        of conference papers, repeated identical trainings, and the statistics that tie them together.
      </p>
      {user ? (
        <div className="grid">
          {navigationFor(user).map((item) => (
            <Link key={item.href} className="card" href={item.href}>
              {item.label}
            </Link>
          ))}
        </div>
      ) : (
        <p>
          <Link className="button" href="/login">
            Sign in
          </Link>
        </p>
      )}
      <p className="muted">Survey participants do not need an account: they answer through the link they were given.</p>
    </>
  );
}
