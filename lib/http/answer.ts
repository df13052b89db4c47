import type { Answer } from "@/lib/product/idempotency";

export function answerResponse(answer: Answer): Response {
  return Response.json(answer.body, { status: answer.status, headers: { "cache-control": "no-store" } });
}
