import type { Answer } from "@/lib/product/idempotency";

export function answerResponse(answer: Answer): Response {
  const body = answer.unstored && typeof answer.body === "object" && answer.body !== null ? { ...answer.body, ...answer.unstored } : answer.body;
  return Response.json(body, { status: answer.status, headers: { "cache-control": "no-store" } });
}
