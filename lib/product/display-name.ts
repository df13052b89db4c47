// What a display name may hold. Names are shown to everyone in the event (photos, ballots, the
// ZIP's file names), so a name must not reorder or hide the text around it, or look like another
// person's name while being a different string.

/**
 * Control (Cc), format (Cf: bidi embeddings, overrides and isolates, zero-width space and joiners,
 * word joiner, BOM, soft hyphen, tags), line and paragraph separators, private-use, surrogate and
 * unassigned code points, and the letters that render as nothing (Hangul fillers, braille blank,
 * combining grapheme joiner, Khmer inherent vowels).
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\p{Cn}\u115f\u1160\u2800\u3164\uffa0]|\u034f|\u17b4|\u17b5/gu;
/** A zero-width joiner between two pictographs builds one emoji (👩‍👩‍👧): that one is fine. */
const EMOJI_JOINER = /(?<=\p{Extended_Pictographic}(?:\u{fe0f}|\p{Emoji_Modifier})?)\u200d(?=\p{Extended_Pictographic})/gu;
/** More combining marks on one letter than any script needs stacks text over its neighbours. */
const MARK_PILE = /\p{M}{5,}/u;

/**
 * Why `name` (already NFC-normalised and trimmed) cannot be a display name, or null when it can.
 * The reason names the first offending code point, e.g. "U+202E".
 */
export function displayNameProblem(name: string): string | null {
  const withoutEmojiJoiners = name.replace(EMOJI_JOINER, "");
  const unsafe = withoutEmojiJoiners.match(UNSAFE);
  if (unsafe) return `it holds an invisible or control character (U+${(unsafe[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")})`;
  if (MARK_PILE.test(name)) return "it stacks too many accents on one letter";
  return null;
}
