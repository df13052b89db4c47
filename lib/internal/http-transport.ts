import { z } from "zod";
import type { SiteRef } from "@/lib/config/schema";
import { callPeer, type PeerClientOptions } from "./peer-client";
import { parseMessages, type Message } from "@/lib/twopc/messages";
import type { SendRequest, Transport } from "@/lib/twopc/ports/transport";
import type { BlobStore } from "@/lib/store/blob-store";

const blobAnswer = z.object({ stored: z.boolean() });

/**
 * The engine's transport over the signed internal API: uploads the blobs a batch refers to
 * (PUT /api/internal/blobs/:sha256, idempotent), then POSTs the batch to
 * /api/internal/messages and parses the replies. Every call has a timeout; any failure
 * rejects, and the engine retries from its outbox.
 *
 * Photos' blobs should not travel inside the per-peer message lane: a batch's sequential PUTs
 * share the call's deadline with its POST, and under upload load the lane's next batch brings
 * new blobs again, so the POST kept timing out and no PREPARE got through until uploads
 * stopped (16 concurrent 12 MP uploads: decided after ~70 s). `pushBlobs` hands them to every
 * peer beforehand, in parallel; `send` then finds them delivered (or joins the upload in flight).
 */
export class HttpTransport implements Transport {
  private readonly peers: Map<string, SiteRef>;
  /**
   * Blobs each peer is known to hold, with when they were delivered, so retries do not upload
   * them again (bounded). Believed for `deliveredForMs` only: the peer's blob collector spares a
   * blob for its grace period after its last PUT, and this must be shorter, or a photo uploaded
   * again after a removal would be believed delivered to a peer that has collected it.
   */
  private readonly delivered = new Map<string, Map<string, number>>();
  /** Uploads under way, by `${peer} ${hash}`: a second caller waits for the same PUT. */
  private readonly uploading = new Map<string, Promise<void>>();

  constructor(
    private readonly options: {
      client: PeerClientOptions;
      peers: SiteRef[];
      blobs: BlobStore;
      /** How long a delivered blob is believed held by the peer (below the peers' BLOB_GC_GRACE_MS). */
      deliveredForMs: number;
      onReachability?: (peer: string, ok: boolean, error?: string) => void;
    },
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

  /**
   * Uploads `hashes` to the given peers now, all in parallel, each PUT bounded by `timeoutMs`.
   * Best effort: resolves when every upload has settled; a failed one is retried by `send`.
   */
  async pushBlobs(hashes: readonly string[], options: { peers: readonly string[]; timeoutMs: number }): Promise<void> {
    const uploads: Promise<void>[] = [];
    for (const siteId of options.peers) {
      const peer = this.peers.get(siteId);
      if (!peer) continue;
      for (const hash of new Set(hashes)) uploads.push(this.putBlob(peer, hash, Date.now() + options.timeoutMs).catch(() => undefined));
    }
    await Promise.all(uploads);
  }

  private async uploadBlobs(peer: SiteRef, messages: readonly Message[], deadlineMs: number): Promise<void> {
    const hashes = new Set(messages.flatMap((m) => m.blobs ?? []));
    for (const hash of hashes) await this.putBlob(peer, hash, deadlineMs);
  }

  private known(peer: SiteRef): Map<string, number> {
    let known = this.delivered.get(peer.siteId);
    if (!known) {
      known = new Map<string, number>();
      this.delivered.set(peer.siteId, known);
    }
    return known;
  }

  /** One blob to one peer by `deadlineMs`; joins an upload of the same blob already under way. */
  private async putBlob(peer: SiteRef, hash: string, deadlineMs: number): Promise<void> {
    const known = this.known(peer);
    if ((known.get(hash) ?? -Infinity) > Date.now() - this.options.deliveredForMs) return;
    const key = `${peer.siteId} ${hash}`;
    let upload = this.uploading.get(key);
    if (!upload) {
      // Read off the event loop and sent as is; its name is its sha256, so nothing hashes it here.
      upload = this.options.blobs
        .readAsync(hash)
        .then((bytes) => {
          if (!bytes) throw new Error(`blob ${hash} is missing here`);
          return callPeer(this.options.client, {
            peer,
            method: "PUT",
            path: `/api/internal/blobs/${hash}`,
            body: bytes,
            bodySha256: hash,
            contentType: "application/octet-stream",
            timeoutMs: Math.max(1, deadlineMs - Date.now()),
            answer: blobAnswer,
          });
        })
        .then(() => {
          if (known.size > 10_000) known.clear();
          known.set(hash, Date.now());
        })
        .finally(() => this.uploading.delete(key));
      upload.catch(() => undefined); // each caller sees the failure through withDeadline; none is left unhandled
      this.uploading.set(key, upload);
    }
    await withDeadline(upload, deadlineMs, `blob upload to ${peer.siteId}`);
  }
}

/** `work`, or a rejection once `deadlineMs` has passed (the work itself goes on). */
function withDeadline<T>(work: Promise<T>, deadlineMs: number, what: string): Promise<T> {
  const remainingMs = deadlineMs - Date.now();
  if (remainingMs <= 0) return Promise.reject(new Error(`${what}: no time left`));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${remainingMs} ms`)), remainingMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
