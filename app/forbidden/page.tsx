import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Not allowed" };

export default function ForbiddenPage() {
  return (
    <div className="card narrow">
      <h1>You cannot open that page</h1>
      <p>Your account does not have the role that page needs. If you think it should, ask an administrator.</p>
      <Link href="/">Go to the start page</Link>
    </div>
  );
}
