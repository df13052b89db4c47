// The security headers of every answer a site gives: Next.js adds them to its pages and API
// answers (next.config.js), and scripts/server.mjs to the answers it gives itself before Next.js
// (scripts/lib/edge-guard.mjs). CommonJS (this package has no "type": "module"), so next.config.js can require it and server.mjs import it.
//
// No sniffing, no framing, no referrer beyond this site, nothing loaded from anywhere else.
// Next.js's bootstrap is inline, hence 'unsafe-inline' for scripts; photos shown before upload
// are blob: URLs and the share QR code is a data: image.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** @type {{ key: string; value: string }[]} */
const securityHeaders = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), interest-cohort=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

module.exports = { securityHeaders };
