/** Longest name part kept, in characters: full names stay readable, paths stay far from OS limits. */
const MAX_PART_CHARS = 60;
/** Names Windows refuses whatever the extension (CON.jpg is still the console). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/**
 * One part of a file name that every common OS and unzip tool accepts: no path separators or
 * characters Windows refuses (<>:"/\|?*), no control or invisible format characters (which can
 * reverse how a name reads), no leading or trailing dots and spaces, not a reserved Windows
 * device name, NFC (one spelling of "é" on every OS), at most MAX_PART_CHARS characters. Letters
 * of every script are kept. `fallback` when nothing is left.
 */
export function safeFileNamePart(text: string, fallback: string): string {
  const cleaned = text
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, "")
    .replace(/[<>:"/\\|?*]/g, "-")
    .replace(/\s+/gu, " ")
    .trim();
  const cut = [...cleaned].slice(0, MAX_PART_CHARS).join("");
  const trimmed = cut.replace(/^[.\s]+|[.\s]+$/gu, "");
  if (trimmed === "" || WINDOWS_RESERVED.test(trimmed)) return fallback;
  return trimmed;
}

/** "2026-05-04 13-14-15": a time as a file name part (no colons), from ms read as UTC wall clock. */
export function fileNameTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ").replaceAll(":", "-");
}

/**
 * Makes names unique (case-insensitively: Windows and macOS folders are), keeping the first as
 * it is and numbering the next ones before the extension: "Ana 2026-05-04 13-14-15 (2).jpg".
 */
export function uniqueNames(names: readonly { base: string; extension: string }[]): string[] {
  const taken = new Set<string>();
  return names.map(({ base, extension }) => {
    for (let n = 1; ; n++) {
      const name = n === 1 ? `${base}.${extension}` : `${base} (${n}).${extension}`;
      if (!taken.has(name.toLowerCase())) {
        taken.add(name.toLowerCase());
        return name;
      }
    }
  });
}
