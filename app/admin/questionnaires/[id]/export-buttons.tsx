"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useHydrated } from "@/app/_components/use-hydrated";

export type ExportChoice = { label: string; format: "csv" | "json" | "r-data"; partial: boolean; values?: "codes" | "labels" };

/**
 * Buttons that start a response export as a background job (POST …/export) and open its page, which follows the
 * job and offers the file when it is complete. Used for every file that holds responses, whatever its size.
 */
export function ExportButtons({ questionnaireId, choices }: { questionnaireId: string; choices: ExportChoice[] }) {
  const router = useRouter();
  const ready = useHydrated();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const start = async (choice: ExportChoice) => {
    setBusy(choice.label);
    setError(null);
    try {
      const response = await fetch(`/api/questionnaires/${questionnaireId}/export`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ format: choice.format, partial: choice.partial, values: choice.values ?? "codes" }),
      });
      const body = (await response.json().catch(() => ({ ok: false, error: `The server answered ${response.status}.` }))) as { ok: boolean; job?: { id: string }; error?: string };
      if (!body.ok || !body.job) {
        setError(body.error ?? `The server answered ${response.status}.`);
        setBusy(null);
        return;
      }
      router.push(`/admin/questionnaires/${questionnaireId}/exports/${body.job.id}`);
    } catch {
      setError("The export could not be started (network). Please try again.");
      setBusy(null);
    }
  };
  return (
    <>
      {choices.map((choice) => (
        <button key={choice.label} type="button" className="button secondary" disabled={!ready || busy !== null} onClick={() => void start(choice)}>
          {busy === choice.label ? "Starting…" : choice.label}
        </button>
      ))}
      {error ? (
        <p className="notice error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
