import "server-only";
import type { Metadata } from "next";
import type { LinkPreview } from "@/lib/product/queries/get-link-preview";

/** A link preview as Next.js metadata: OpenGraph and Twitter card tags with absolute URLs. */
export function previewMetadata(preview: LinkPreview | null, fallbackTitle: string): Metadata {
  if (!preview) return { title: fallbackTitle, robots: { index: false } };
  const { title, description, url, image } = preview;
  const images = [{ url: image.url, width: image.width, ...(image.height > 0 ? { height: image.height } : {}), alt: image.alt }];
  return {
    title,
    description,
    metadataBase: new URL(url),
    alternates: { canonical: url },
    openGraph: { type: "website", siteName: "groupshot", title, description, url, images },
    twitter: { card: "summary_large_image", title, description, images: [{ url: image.url, alt: image.alt }] },
  };
}
