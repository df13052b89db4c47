// Types of scripts/lib/edge-guard.mjs (plain JavaScript so scripts/server.mjs runs it without tsx).
import type { IncomingMessage, Server, ServerResponse } from "node:http";

export declare const ALLOWED_METHODS: readonly string[];
export declare const MAX_URL_CHARS: number;
export declare const DEADLINES: {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  connectionsCheckingIntervalMs: number;
  keepAliveTimeoutMs: number;
  maxHeadersCount: number;
  bodyGraceMs: number;
  bodyFloorBytesPerSecond: number;
  bodyCheckMs: number;
};
export declare const EDGE_CODES: { malformed_url: 400; url_too_long: 414; method_not_allowed: 405; request_timeout: 408 };
export type EdgeProblem = { code: keyof typeof EDGE_CODES; message: string };
export declare function requestProblem(request: { method?: string; url?: string }): EdgeProblem | null;
export declare function refusal(request: { method?: string; url?: string }, problem: EdgeProblem): { status: number; headers: Record<string, string>; body: string };
export declare function rawRefusal(request: { method?: string; url?: string }, problem: EdgeProblem): string;
export declare function refuse(req: IncomingMessage, res: ServerResponse, problem: EdgeProblem): void;
export declare function enforceBodyFloor(
  req: IncomingMessage,
  res: ServerResponse,
  options?: { onTooSlow?: (receivedBytes: number, elapsedMs: number) => void; deadlines?: typeof DEADLINES; nowMs?: () => number },
): void;
export declare const serverOptions: { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number; requireHostHeader: boolean };
export declare function applyDeadlines(server: Server): void;
