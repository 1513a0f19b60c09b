import Link from "next/link";
import { getCurrentUser } from "@/lib/auth/session";
import { navigationFor } from "@/lib/auth/navigation";
import { NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

export async function SiteHeader() {
  const user = await getCurrentUser();
  return (
    <header className="site-header">
      <div className="bar">
        <Link className="brand" href="/">
          VarStudy
        </Link>
        {user ? <NavLinks items={navigationFor(user)} /> : null}
        <div className="account">
          {user ? (
            <>
              <span className="who">
                {user.name} · {user.role === "ADMIN" ? "Admin" : "Annotator"}
                {user.canAdjudicate && user.role !== "ADMIN" ? " · Adjudicator" : ""}
              </span>
              <SignOutButton />
            </>
          ) : (
            <Link href="/login">Sign in</Link>
          )}
        </div>
      </div>
    </header>
  );
}
