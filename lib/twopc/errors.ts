// One error type for the engine. `definite` says whether the outcome is known (Maelstrom: a
// timeout is indefinite, a refusal before anything was sent is definite).

export type TwoPcErrorCode = "invariant" | "not-started" | "overloaded" | "stopped";

/**
 * Marks a TwoPcError whichever bundle made it: Next.js bundles instrumentation (which runs the
 * engine) apart from each route, so a route catching the engine's error holds an instance of
 * another copy of this class; `instanceof TwoPcError` checks the mark (as AppError does).
 */
const twoPcErrorMark = Symbol.for("groupshot.TwoPcError");

export class TwoPcError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[twoPcErrorMark] === true;
  }

  readonly [twoPcErrorMark] = true;
  readonly code: TwoPcErrorCode;
  readonly definite: boolean;

  constructor(code: TwoPcErrorCode, message: string, options: { definite: boolean }) {
    super(message);
    this.name = "TwoPcError";
    this.code = code;
    this.definite = options.definite;
  }
}

/** Throws when an invariant of the protocol does not hold; the process should then stop (fail-stop). */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new TwoPcError("invariant", `invariant violated: ${message}`, { definite: false });
}
