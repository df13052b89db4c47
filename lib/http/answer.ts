/** What a command did, typed by the contract's answer schema: the route turns it into a response. */
export type Effect = "created" | "done" | "pending";
/**
 * `unstored` fields are merged into the body sent to the person but never written anywhere (a
 * secret shown once, such as the admin link): a replay from the stored answer goes without them;
 * a request waiting on the running one gets them.
 */
export type CommandResult<T> = { effect: Effect; answer: T; unstored?: Record<string, unknown> };

/** An HTTP answer as the idempotency store keeps it (`unstored` as in CommandResult: never kept). */
export type Answer = { status: number; body: unknown; unstored?: Record<string, unknown> };

/** Created → 201, done → 200, pending (a transaction whose outcome is not known yet) → 202. */
export const effectToHttpStatus = { created: 201, done: 200, pending: 202 } as const satisfies Record<Effect, number>;

export function answerOf(result: CommandResult<unknown>): Answer {
  return { status: effectToHttpStatus[result.effect], body: result.answer, ...(result.unstored ? { unstored: result.unstored } : {}) };
}

export function answerResponse(answer: Answer): Response {
  const body = answer.unstored && typeof answer.body === "object" && answer.body !== null ? { ...answer.body, ...answer.unstored } : answer.body;
  return Response.json(body, { status: answer.status, headers: { "cache-control": "no-store" } });
}

export function resultResponse(result: CommandResult<unknown>): Response {
  return answerResponse(answerOf(result));
}
