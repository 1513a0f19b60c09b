import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Resume link not recognised", robots: { index: false } };

/** A resume link that matches no response (mistyped, cut off, or the response was resumed elsewhere since). */
export default async function UnknownResumePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return (
    <article className="survey narrow-survey">
      <h1>We could not find your answers</h1>
      <p>
        This resume link is not recognised. Please check that you copied the whole link. A link stops working when the questionnaire
        was continued from another browser, which receives a new link.
      </p>
      <p>
        <Link href={`/s/${encodeURIComponent(slug)}`}>Go to the start of the questionnaire</Link>
      </p>
    </article>
  );
}
