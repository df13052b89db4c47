// The event's home site is SIGKILLed while a ballot window is open. Its deadline is durable
// (the Round table) and still holds: while the home is down nobody can decide, uploads stay
// frozen, and an accept cast after the deadline does not count. After the restart the home
// decides the round: abort on timeout, or publish when everyone accepted in time.
import { Person, published } from "../support/api";
import { databasesConverged, eventEverywhere, waitQuiescent } from "../support/convergence";
import { expect, photo, test } from "../support/crash-test";
import type { Cluster } from "../support/cluster";
import { waitFor } from "../support/wait";

/** Hana creates the event on s0 (its home); Mia on s1 and Bob on s2 add one photo each. */
async function eventWithTwoContributors(cluster: Cluster, title: string) {
  const hana = await new Person("Hana", cluster.url("s0")).join();
  const mia = await new Person("Mia", cluster.url("s1")).join();
  const bob = await new Person("Bob", cluster.url("s2")).join();
  const eventId = await hana.createCommittedEvent(title);
  await eventEverywhere(cluster, hana, eventId);
  await mia.addCommittedPhoto(eventId, await photo(41));
  await eventEverywhere(cluster, hana, eventId, (v) => v.montage.version === 1);
  await bob.addCommittedPhoto(eventId, await photo(42));
  await eventEverywhere(cluster, hana, eventId, (v) => v.montage.version === 2);
  await waitQuiescent(cluster);
  return { hana, mia, bob, eventId };
}

/** Mia accepts version 2 on s1; waits until the home (s0) knows the window; kills the home. */
async function acceptThenKillHome(cluster: Cluster, mia: Person, hana: Person, eventId: string): Promise<number> {
  const ballot = await mia.vote(eventId, 2, "accept");
  expect(ballot.ok).toBe(true);
  const deadlineMs = Date.parse(ballot.ok ? ballot.data.deadline : "");
  await waitFor("the home site knows Mia's accept", async () => {
    const view = await hana.event(eventId);
    return view.ok && view.data.round?.ballots.some((b) => b.name === "Mia") ? true : undefined;
  });
  await cluster.kill("s0");
  return deadlineMs;
}

test.describe("timeout", () => {
  test.use({ clusterOptions: { env: { BALLOT_WINDOW_MS: "8000" } } });

  test("the home dies during an open window; the deadline still holds and, restarted, it aborts the round everywhere", async ({ cluster }) => {
    const { hana, mia, bob, eventId } = await eventWithTwoContributors(cluster, "Window vs crash");
    const deadlineMs = await acceptThenKillHome(cluster, mia, hana, eventId);

    // While the home is down: the window is open everywhere, so no photo can be added.
    const carl = await new Person("Carl", cluster.url("s3")).join();
    const refused = await carl.addPhoto(eventId, await photo(43));
    expect(refused.ok ? "" : refused.code).toBe("window_open");
    // The deadline and the participants' grace (a tenth of the 8 s window) pass with the home still down.
    await waitFor("the deadline and its grace to pass", () => (Date.now() > deadlineMs + 800 + 500 ? true : undefined), { timeoutMs: 30_000 });
    for (const siteId of ["s1", "s2", "s3"]) {
      const view = await mia.event(eventId, cluster.url(siteId));
      expect(view.ok && view.data.round).toMatchObject({ version: 2, outcome: null });
    }
    // Too late: an accept cast after the deadline cannot count.
    const late = await bob.vote(eventId, 2, "accept");
    expect(late.ok ? "recorded" : late.code, "an accept after the deadline").toBe("window_closed");

    await cluster.start("s0");
    const views = await eventEverywhere(cluster, mia, eventId, (v) => v.status === "open" && v.lastAbortedRound?.version === 2);
    for (const view of Object.values(views)) {
      expect(view.lastAbortedRound).toMatchObject({ outcome: "aborted", reason: "Time ran out before Bob voted." });
      expect(view.published).toBeNull();
    }
    // The abort reopened uploads: the next photo starts a new version.
    await carl.addCommittedPhoto(eventId, await photo(44));
    await eventEverywhere(cluster, mia, eventId, (v) => v.montage.version === 3);
    await waitQuiescent(cluster);
    await databasesConverged(cluster);
  });
});

test.describe("publish", () => {
  test.use({ clusterOptions: { env: { BALLOT_WINDOW_MS: "30000" } } });

  test("the home dies during an open window; everyone accepts in time; restarted, it publishes everywhere", async ({ cluster, page }) => {
    const { hana, mia, bob, eventId } = await eventWithTwoContributors(cluster, "Everyone says yes");
    const deadlineMs = await acceptThenKillHome(cluster, mia, hana, eventId);
    const accept = await bob.vote(eventId, 2, "accept");
    expect(accept.ok).toBe(true);
    expect(Date.now()).toBeLessThan(deadlineMs);
    // Nobody publishes without the home's decision.
    for (const siteId of ["s1", "s2", "s3"]) expect(await published(cluster.url(siteId))).toEqual([]);

    await cluster.start("s0");
    const views = await eventEverywhere(cluster, mia, eventId, (v) => v.status === "published");
    for (const view of Object.values(views)) expect(view.published?.version).toBe(2);
    for (const site of cluster.sites) {
      const list = await published(site.url);
      expect(list.map((p) => [p.eventId, p.version])).toEqual([[eventId, 2]]);
    }
    await waitQuiescent(cluster);
    await databasesConverged(cluster);

    // Public on every site, no cookie needed.
    for (const site of cluster.sites) {
      await page.goto(`${site.url}/p/${eventId}`);
      const montage = page.getByRole("img", { name: /^Montage of Everyone says yes/ });
      await expect(montage).toBeVisible();
      await expect.poll(() => montage.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    }
  });
});
