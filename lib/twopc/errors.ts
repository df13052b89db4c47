// One error type for the engine. `definite` says whether the outcome is known (Maelstrom: a
// timeout is indefinite, a refusal before anything was sent is definite).

export type TwoPcErrorCode = "invariant" | "not-started" | "overloaded" | "stopped";

export class TwoPcError extends Error {
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
