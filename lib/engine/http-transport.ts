import { z } from "zod";
import type { SiteRef } from "@/lib/config/schema";
import { callPeer, type PeerClientOptions } from "@/lib/internal/peer-client";
import { parseMessages, type Message } from "@/lib/twopc/messages";
import type { SendRequest, Transport } from "@/lib/twopc/ports/transport";
import type { BlobStore } from "./blob-store";

const blobAnswer = z.object({ stored: z.boolean() });

/**
 * The engine's transport over the signed internal API: uploads the blobs a batch refers to
 * (PUT /api/internal/blobs/:sha256, idempotent), then POSTs the batch to
 * /api/internal/messages and parses the replies. Every call has a timeout; any failure
 * rejects, and the engine retries from its outbox.
 */
export class HttpTransport implements Transport {
  private readonly peers: Map<string, SiteRef>;
  /** Blobs each peer is known to hold, so retries do not upload them again (bounded). */
  private readonly delivered = new Map<string, Set<string>>();

  constructor(
    private readonly options: { client: PeerClientOptions; peers: SiteRef[]; blobs: BlobStore; onReachability?: (peer: string, ok: boolean, error?: string) => void },
  ) {
    this.peers = new Map(options.peers.map((p) => [p.siteId, p]));
  }

  async send(request: SendRequest): Promise<readonly Message[]> {
    const peer = this.peers.get(request.to);
    if (!peer) throw new Error(`unknown peer ${request.to}`);
    const deadlineMs = Date.now() + request.timeoutMs;
    try {
      await this.uploadBlobs(peer, request.messages, deadlineMs);
      const body = new TextEncoder().encode(JSON.stringify(request.messages));
      const answer = await callPeer(this.options.client, {
        peer,
        path: "/api/internal/messages",
        body,
        timeoutMs: Math.max(1, deadlineMs - Date.now()),
        answer: z.unknown(),
      });
      const parsed = parseMessages(answer);
      if (!parsed.ok) throw new Error(`bad replies from ${peer.siteId}: ${parsed.error}`);
      this.options.onReachability?.(peer.siteId, true);
      return parsed.messages;
    } catch (error) {
      this.options.onReachability?.(peer.siteId, false, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  private async uploadBlobs(peer: SiteRef, messages: readonly Message[], deadlineMs: number): Promise<void> {
    const known = this.delivered.get(peer.siteId) ?? new Set<string>();
    this.delivered.set(peer.siteId, known);
    const hashes = new Set(messages.flatMap((m) => m.blobs ?? []));
    for (const hash of hashes) {
      if (known.has(hash)) continue;
      const bytes = this.options.blobs.read(hash);
      if (!bytes) throw new Error(`blob ${hash} is missing here`);
      await callPeer(this.options.client, {
        peer,
        method: "PUT",
        path: `/api/internal/blobs/${hash}`,
        body: new Uint8Array(bytes),
        contentType: "application/octet-stream",
        timeoutMs: Math.max(1, deadlineMs - Date.now()),
        answer: blobAnswer,
      });
      if (known.size > 10_000) known.clear();
      known.add(hash);
    }
  }
}
