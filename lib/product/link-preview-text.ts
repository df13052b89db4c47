// The words of a shared link's preview card (pure; the query is queries/get-link-preview.ts).

const NAMES_SHOWN = 3;

/** "Ana", "Ana and Ben", "Ana, Ben and Cleo", "Ana, Ben, Cleo and 4 others". */
export function byline(names: readonly string[]): string {
  if (names.length <= NAMES_SHOWN) {
    return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  }
  const rest = names.length - NAMES_SHOWN;
  return `${names.slice(0, NAMES_SHOWN).join(", ")} and ${rest} ${rest === 1 ? "other" : "others"}`;
}

/** "12 photos by Ana, Ben and 3 others" (or an invitation while there are none). */
export function previewDescription(options: { photoCount: number; names: readonly string[]; creatorName: string; published: boolean }): string {
  const { photoCount, names, creatorName, published } = options;
  if (photoCount === 0) return `${creatorName} started this group photo montage. Add your photos: it is published only when everyone agrees.`;
  const photos = `${photoCount} ${photoCount === 1 ? "photo" : "photos"} by ${byline(names)}`;
  return published ? `${photos}. The montage everyone agreed on.` : `${photos}. Add yours: the montage is published only when everyone agrees.`;
}
