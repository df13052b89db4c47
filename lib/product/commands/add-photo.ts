import "server-only";
import { badRequest, notFound, refused } from "@/lib/errors";
import { processUpload } from "@/lib/images";
import type { AddPhotoAnswer } from "@/lib/api/contract";
import type { CommandResult } from "@/lib/http/answer";
import type { ProductEngine, ProductSite } from "../ports/site";
import { changeKinds, type AddPhotoData } from "../changes";
import { newId } from "../ids";
import { repoOf } from "../repo";
import { photoRefusal } from "../rules";
import { photoFacts } from "../rule-facts";
import { publicState, siteAcks } from "../outcome-view";
import type { User } from "../session";
import { runChange } from "./run-change";

/** The commit is durable at the coordinator; its local apply follows within moments. */
async function appliedVersion(engine: ProductEngine, txId: string, read: () => number | undefined): Promise<number | null> {
  const now = read();
  if (now !== undefined) return now;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, 2_000);
    const unsubscribe = engine.onDecision((event) => {
      if (event.txId === txId && event.role === "participant") done();
    });
    function done() {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
  });
  return read() ?? null;
}

/**
 * Adds one uploaded photo: validates and normalises it here (nothing is stored if it is
 * refused), stores its display image, tile and original (private metadata removed) as blobs, and runs the add-photo transaction
 * coordinated by this site. Answers once the outcome is durable, or "pending".
 */
export async function addPhoto(options: {
  site: ProductSite;
  engine: ProductEngine;
  user: User;
  eventId: string;
  /** The uploaded file's bytes (the multipart field "photo"), or null when there is none. */
  photo: Uint8Array | null;
  /** Runs the decoding and encoding (the site's upload queue: one photo at a time); direct if absent. */
  decodeSlot?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Told the pending answer as soon as the transaction began (a retry after a crash finds it). */
  remember?: (pending: CommandResult<AddPhotoAnswer>) => void;
}): Promise<CommandResult<AddPhotoAnswer>> {
  const { site, engine, user, eventId } = options;
  const upload = options.photo;
  if (upload === null) throw badRequest('Send the photo as the multipart field "photo".');
  const repo = repoOf(site.db);
  const event = repo.event(eventId);
  if (!event) throw notFound("There is no such event on this site.");

  // A duplicate is answered below, with the photo that is already there.
  const refusalNow = () => photoRefusal(photoFacts(repo, { eventId, uploaderId: user.userId, limits: site.config.limits, duplicate: false }));
  const early = refusalNow();
  if (early) throw refused(early);

  const limits = { maxBytes: site.config.limits.maxPhotoBytes, maxPixels: site.config.limits.maxPhotoPixels, minEdgePx: 16 };
  const decode = options.decodeSlot ?? ((work) => work());
  const photo = await decode(() => processUpload(upload, limits));
  const existing = repo.hasPhotoWithSha(eventId, photo.originalSha256);
  if (existing) {
    return { effect: "done", answer: { photoId: existing, txId: "", status: "committed", montageVersion: repo.event(eventId)?.montageVersion ?? null, duplicate: true, sites: siteAcks(site.config.sites.map((s) => s.siteId), null).map((s) => ({ ...s, acknowledged: true })) } };
  }
  // Durable before any transaction can refer to them, without holding the event loop.
  const blobs = [photo.display, photo.tile, photo.original];
  await Promise.all(blobs.map((blob) => site.blobs.writeAsync(blob.bytes, blob.sha256)));
  // Every participant needs the bytes before it can vote yes: send them now, in parallel.
  await engine.pushBlobs(blobs.map((blob) => blob.sha256));

  const data: AddPhotoData = {
    eventId,
    photoId: newId("ph"),
    uploaderId: user.userId,
    uploaderName: user.name,
    originSite: site.config.siteId,
    sha256: photo.originalSha256,
    displayHash: photo.display.sha256,
    tileHash: photo.tile.sha256,
    width: photo.widthPx,
    height: photo.heightPx,
    createdAtMs: Date.now(),
    originalHash: photo.original.sha256,
    originalType: photo.original.type,
    originalSizeBytes: photo.original.bytes.length,
    capturedAtMs: photo.capturedAtMs,
  };
  const siteIds = site.config.sites.map((s) => s.siteId);
  const run = await runChange({
    engine,
    change: { key: eventId, kind: changeKinds.addPhoto, data },
    begin: { blobs: blobs.map((blob) => blob.sha256) },
    decideWaitMs: site.config.decideWaitMs,
    answerOf: (txId, outcome): AddPhotoAnswer => ({ photoId: data.photoId, txId, status: outcome ? publicState(outcome) : "pending", montageVersion: null, duplicate: false, sites: siteAcks(siteIds, outcome) }),
    remember: options.remember,
    refusalNow,
    notDone: "The photo was not added",
  });
  if (run.state === "pending") return { effect: "pending", answer: run.answer };
  const montageVersion = await appliedVersion(engine, run.txId, () => repo.photoVersion(data.photoId));
  // The uploader's page shows this version next: its page image is built here at once (the
  // other sites build theirs when asked, or a moment later).
  if (montageVersion !== null) {
    void site.montages.get(eventId, montageVersion, "preview").catch((error: unknown) => site.logger.warn({ err: error, eventId, version: montageVersion }, "montage build failed"));
  }
  return { effect: "created", answer: { ...run.answer, montageVersion } };
}
