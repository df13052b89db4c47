/**
 * Delay before retry number `attempt` (1-based): exponential from `baseMs`, capped at `maxMs`, with
 * "equal jitter" (half fixed, half random) so peers that failed together do not retry together.
 */
export function retryDelayMs(attempt: number, options: { baseMs: number; maxMs: number; random01: number }): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceilingMs = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.round(ceilingMs / 2 + (options.random01 * ceilingMs) / 2);
}
