// Named crash points. Inert unless configured: in production a configured point SIGKILLs the
// process (see ../failpoints-process.ts); in the simulator it throws a Crash that discards the
// site's volatile state. The names are a contract with the crash tests: never rename one.

export const FAILPOINT_NAMES = [
  "coordinator.before-log-decision",
  "coordinator.after-log-decision",
  "coordinator.after-send-some-decisions",
  "participant.before-log-prepare",
  "participant.after-log-prepare",
  "participant.after-reply",
  "participant.before-apply-commit",
  "participant.after-apply-commit",
] as const;

export type FailpointName = (typeof FAILPOINT_NAMES)[number];

export interface Failpoints {
  hit(name: FailpointName): void;
}

export const inertFailpoints: Failpoints = { hit: () => undefined };

export function isFailpointName(name: string): name is FailpointName {
  return (FAILPOINT_NAMES as readonly string[]).includes(name);
}
