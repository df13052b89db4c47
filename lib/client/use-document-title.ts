import { useEffect } from "react";

/** Sets the tab title once the page knows what it shows (data arrives after the first paint). */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    if (title) document.title = `${title} · groupshot`;
  }, [title]);
}
