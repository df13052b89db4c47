// Types of scripts/lib/security-headers.js (CommonJS, for next.config.js and scripts/server.mjs).
export declare const securityHeaders: readonly { key: string; value: string }[];
