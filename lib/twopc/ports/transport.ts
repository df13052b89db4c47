// Site-to-site calls. The production implementation is a signed HTTP POST of the JSON array of
// messages to the peer's /api/internal/messages, answered with the JSON array of replies (each
// parsed with `parseMessages` before use). It uploads each message's `blobs` before the message.
import type { Message } from "../messages";
import type { SiteId } from "../types";

export interface SendRequest {
  to: SiteId;
  messages: readonly Message[];
  /** The call must settle (resolve or reject) within this time. A timeout is indefinite: it may have happened. */
  timeoutMs: number;
}

export interface Transport {
  /** Resolves with the peer's replies (possibly fewer than the messages); rejects on any failure. */
  send(request: SendRequest): Promise<readonly Message[]>;
}
