import Link from "next/link";

export default function NotFound() {
  return (
    <div className="card narrow">
      <h1>Page not found</h1>
      <p>There is nothing at this address. The link may be mistyped, or what it pointed to was removed.</p>
      <Link href="/">Go to the start page</Link>
    </div>
  );
}
