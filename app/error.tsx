"use client";
import { useEffect } from "react";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="card narrow" role="alert">
      <h1>Something went wrong</h1>
      <p>
        The page could not be shown because of an error on our side. Nothing you entered before this page was lost.
        {error.digest ? ` If it happens again, tell an administrator the code ${error.digest}.` : ""}
      </p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
