import { notFound } from "next/navigation";
import { AppError } from "@/lib/errors";

/** A page's data: the data layer's NOT_FOUND (an unknown id, another study's object) becomes the page's 404. */
export async function orNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}
