"use client";
import { useSyncExternalStore } from "react";

const subscribeToNothing = () => () => {};

/**
 * False in the server's HTML and during hydration, true once React runs the page in the browser. A form with a
 * file input waits for it: until the page is interactive a click would submit natively and lose the chosen file.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}
