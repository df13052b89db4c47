// Pure formatting helpers for the pages: no React, no clock of their own (now is passed in).

/** 87_000 → "1:27"; 3_723_000 → "1:02:03"; never negative. */
export function formatCountdown(remainingMs: number): string {
  const totalSeconds = Math.max(0, Math.ceil(remainingMs / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const ss = String(seconds).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${ss}` : `${minutes}:${ss}`;
}

/** 120_000 → "2 minutes"; 45_000 → "45 seconds"; 90_000 → "90 seconds". */
export function formatDuration(durationMs: number): string {
  const seconds = Math.round(durationMs / 1000);
  if (seconds >= 120 && seconds % 60 === 0) return `${seconds / 60} minutes`;
  if (seconds === 60) return "1 minute";
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

/** 3_400_000 → "3.2 MB". */
export function formatBytes(sizeBytes: number): string {
  if (sizeBytes < 1024) return `${sizeBytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = sizeBytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** "2 s ago", "3 min ago", "5 h ago", "4 days ago"; "never" for null. */
export function formatAgo(iso: string | null, nowMs: number): string {
  if (iso === null) return "never";
  const thenMs = Date.parse(iso);
  if (Number.isNaN(thenMs)) return "unknown";
  const seconds = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (seconds < 2) return "just now";
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const clockFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });

export function formatDate(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : dateFormat.format(ms);
}

export function formatDateTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : dateTimeFormat.format(ms);
}

/** "14:03:27": log lines read best on a 24-hour clock. */
export function formatClock(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : clockFormat.format(ms);
}

/** ["Ana", "Ben", "Mia"] → "Ana, Ben and Mia". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1] ?? ""}`;
}

/** "Mia Wong" → "MW"; "ana" → "A". */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts.slice(0, 1);
  return letters.map((p) => Array.from(p ?? "")[0]?.toUpperCase() ?? "").join("") || "?";
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * What is left of a window the server said had `remainingMs` left when its answer arrived at
 * `receivedAtMs`, now at `nowMs` (both on the page's monotonic clock); never below 0.
 */
export function remainingNowMs(options: { remainingMs: number; receivedAtMs: number; nowMs: number }): number {
  const elapsedMs = Math.max(0, options.nowMs - options.receivedAtMs);
  return Math.max(0, options.remainingMs - elapsedMs);
}
