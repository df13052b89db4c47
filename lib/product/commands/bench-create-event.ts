import { z } from "zod";
import { badRequest } from "@/lib/errors";
import type { Change, TxId } from "@/lib/twopc/types";
import type { Outcome } from "@/lib/twopc/outcome";
import { changeKinds, type CreateEventData } from "../changes";
import { newId } from "../ids";
import { publicState } from "../outcome-view";

/** What the bench sends: the title of the event to create. */
const benchCreateEventRequest = z.object({ title: z.string().min(1).max(80) });

/** The creator of every engine-level bench event (a valid id no session hands out: real ones are random). */
export const BENCH_CREATOR = { creatorId: "u_bench-engine", creatorName: "Bench (engine)" } as const;

/** The part of the engine the bench endpoint uses. */
export type BenchEnginePort = {
  begin: (change: Change) => TxId;
  waitForOutcome: (txId: TxId, timeoutMs: number) => Promise<Outcome>;
};

export type BenchCreateEventAnswer = { txId: string; eventId: string; state: "pending" | "committed" | "aborted" };

/**
 * The engine-level bench endpoint (served only with BENCH_ENGINE_ENDPOINT=1, through the signed
 * internal API): a create-event transaction begun through this site's engine, answered once its
 * outcome is known here or `decideWaitMs` passed. The same change, domain checks, log records and
 * fsyncs as POST /api/events, without the web framework, the session, the idempotency record or
 * the public contract, so the bench can price the 2PC itself.
 */
export async function benchCreateEvent(options: { siteId: string; decideWaitMs: number; engine: BenchEnginePort; body: unknown }): Promise<BenchCreateEventAnswer> {
  const parsed = benchCreateEventRequest.safeParse(options.body);
  if (!parsed.success) throw badRequest("The bench's create-event needs a title of 1 to 80 characters.");
  const data: CreateEventData = {
    eventId: newId("ev"),
    title: parsed.data.title,
    homeSite: options.siteId,
    ...BENCH_CREATOR,
    createdAtMs: Date.now(),
  };
  const txId = options.engine.begin({ key: data.eventId, kind: changeKinds.createEvent, data });
  const outcome = await options.engine.waitForOutcome(txId, options.decideWaitMs);
  return { txId, eventId: data.eventId, state: publicState(outcome) };
}
