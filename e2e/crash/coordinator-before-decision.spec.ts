// The coordinator is SIGKILLed with every vote in but before it logged a decision (failpoint
// coordinator.before-log-decision). Nothing was decided, so after its restart the answer must be
// ABORT (presumed abort), and it must be *fenced*: the participants' inquiries find no
// decision, so the coordinator durably logs ABORT before it answers, and no late COMMIT can
// ever contradict that answer. The change exists nowhere; nothing stays in doubt.
import { NoAnswer, Person, health } from "../support/api";
import { databasesConverged, eventEverywhere, eventNowhere, waitQuiescent } from "../support/convergence";
import { expect, expectEventPageEverywhere, test } from "../support/crash-test";
import { readPrepared, readTxLog } from "../support/state-digest";
import { waitFor } from "../support/wait";

test("create event: the coordinator dies before deciding; presumed abort everywhere, fenced before the inquiries are answered", async ({ cluster, browser }) => {
  const mia = await new Person("Mia", cluster.url("s0")).join();
  await cluster.armFailpoints("s0", "coordinator.before-log-decision");
  const key = "crash-coord-create-1";
  await expect(mia.createEvent("Never decided", { idempotencyKey: key })).rejects.toBeInstanceOf(NoAnswer);
  expect((await cluster.waitExit("s0")).signal).toBe("SIGKILL");

  const prepared = readPrepared(cluster.dataDir("s1")).filter((p) => p.kind === "create-event");
  expect(prepared).toHaveLength(1);
  const { txId } = prepared[0]!;
  const eventId = String(prepared[0]!.data.eventId);
  // No decision was logged at the coordinator: the crash rolled the whole step back.
  expect(readTxLog(cluster.dataDir("s0"), txId).map((r) => r.kind)).toEqual(["participant.prepared"]);

  // The participants are blocked in doubt (2PC's price): they keep asking the dead coordinator.
  for (const siteId of ["s1", "s2", "s3"]) {
    await waitFor(`${siteId} in doubt about ${txId}`, async () => ((await health(cluster.url(siteId))).inDoubt.some((t) => t.txId === txId) ? true : undefined));
  }

  await cluster.start("s0");
  // Every participant learns ABORT; nothing is left in doubt anywhere.
  await waitQuiescent(cluster);
  for (const site of cluster.sites) {
    const log = readTxLog(site.dataDir, txId);
    expect(log.map((r) => r.kind), `${site.siteId}'s log of ${txId}`).toEqual(
      site.siteId === "s0" ? ["participant.prepared", "coordinator.decided", "participant.aborted"] : ["participant.prepared", "participant.aborted"],
    );
  }
  // The coordinator's ABORT is a durable fence, logged before the first inquiry was answered.
  const fence = readTxLog(cluster.dataDir("s0"), txId).find((r) => r.kind === "coordinator.decided");
  expect(fence?.body).toMatchObject({ decision: "abort", fenced: true, reason: "presumed abort" });
  const outcome = await mia.transaction(txId);
  expect(outcome.ok && outcome.data).toMatchObject({ status: "aborted" });

  // The fence survives another crash of the coordinator: the answer never changes.
  await cluster.kill("s0");
  await cluster.start("s0");
  const again = await mia.transaction(txId);
  expect(again.ok && again.data).toMatchObject({ status: "aborted" });
  await eventNowhere(cluster, mia, eventId);

  // The person retries with the same Idempotency-Key: the aborted attempt did nothing, so the
  // retry creates the event, once.
  const retried = await mia.createEvent("Never decided", { idempotencyKey: key });
  expect(retried.ok).toBe(true);
  const created = retried.ok ? retried.data : undefined;
  expect(created?.eventId).not.toBe(eventId);
  await eventEverywhere(cluster, mia, created!.eventId);
  await waitQuiescent(cluster);
  const states = await databasesConverged(cluster);
  for (const state of states) expect(state.events.map((e) => e.id)).toEqual([created!.eventId]);

  // What a person sees: the aborted one nowhere, the new one on every site.
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const site of cluster.sites) {
    await page.goto(`${site.url}/e/${eventId}`);
    await expect(page.getByRole("heading", { level: 1, name: "We can't find this event on this site" })).toBeVisible();
  }
  await context.close();
  await expectEventPageEverywhere(browser, cluster, mia, created!.eventId, { title: "Never decided", status: "Collecting photos" });
});
