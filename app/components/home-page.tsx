"use client";
import { CreateEventForm } from "./create-event-form";
import { PublishedGallery } from "./published-gallery";

export function HomePage() {
  return (
    <main className="shell page">
      <section className="hero" aria-labelledby="hero-title">
        <div className="hero-text">
          <p className="eyebrow">Group photo sessions</p>
          <h1 id="hero-title">Everyone&apos;s photos, one montage — published only when the whole group says yes.</h1>
        </div>
        <CreateEventForm />
        <ol className="steps" aria-label="How it works">
          <li>
            <span className="step-number" aria-hidden="true">1</span>
            <span>
              <strong>Create an event</strong> and share its link or QR code.
            </span>
          </li>
          <li>
            <span className="step-number" aria-hidden="true">2</span>
            <span>
              <strong>Everyone adds photos</strong> from a phone or a laptop.
            </span>
          </li>
          <li>
            <span className="step-number" aria-hidden="true">3</span>
            <span>
              <strong>All contributors accept</strong> and the montage goes public.
            </span>
          </li>
        </ol>
      </section>
      <PublishedGallery />
    </main>
  );
}
