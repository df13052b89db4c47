// Types of scripts/lib/node-support.mjs (plain JavaScript so npm's install scripts and
// scripts/server.mjs run it without tsx).
export declare const repoRoot: string;
export declare const SUPPORTED_NODE: readonly { major: number; minMinor: number }[];
export declare function enginesRange(): string;
export declare function isSupportedNode(version: string): boolean;
export declare function unsupportedNodeMessage(version?: string): string | undefined;
export declare const NATIVE_STAMP: string;
export declare function readNativeStamp(): { node: string; modules: string; execPath?: string } | undefined;
export type NativeProblem = { kind: "missing" | "abi" | "broken"; error: unknown };
export declare function probeNative(): NativeProblem | undefined;
export declare function nativeProblemMessage(): string | undefined;
export declare function describeNativeProblem(
  problem: NativeProblem,
  stamp: { node: string; modules: string } | undefined,
  versions: { node: string; modules: string },
): string;
