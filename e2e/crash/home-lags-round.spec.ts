// The home site decides a round from its own copy of the event. Here it lags: it voted yes to
// the last photo, crashed while applying the commit, and comes back cut off from that photo's
// coordinator, so it is still in doubt about the photo when the first accept for the new
// version reaches it. Counting contributors from its stale photos would see only the person
// who accepted, and publish without the newest contributor's accept (SPEC §4.5). The round
// must instead wait for the photo and be decided with every contributor: here the newest one
// never votes, so the window runs out and the round is aborted, naming her.
import { Person, health } from "../support/api";
import { databasesConverged, eventEverywhere, waitQuiescent } from "../support/convergence";
import { expect, photo, test } from "../support/crash-test";
import { readSiteState } from "../support/state-digest";
import { waitFor } from "../support/wait";

test.use({ clusterOptions: { partitions: true, env: { BALLOT_WINDOW_MS: "15000" } } });

test("a home site that lags behind the last photo never publishes without that contributor's accept", async ({ cluster }) => {
  const hana = await new Person("Hana", cluster.url("s0")).join();
  const carl = await new Person("Carl", cluster.url("s3")).join();
  const mia = await new Person("Mia", cluster.url("s1")).join();
  const eventId = await hana.createCommittedEvent("Lagging home");
  await eventEverywhere(cluster, hana, eventId);
  await carl.addCommittedPhoto(eventId, await photo(81));
  await eventEverywhere(cluster, hana, eventId, (v) => v.montage.version === 1);
  await waitQuiescent(cluster);

  // Mia's photo (coordinated by s1) commits; the home s0 voted yes and dies applying it.
  await cluster.armFailpoints("s0", "participant.before-apply-commit");
  const added = await mia.addPhoto(eventId, await photo(82));
  expect(added.ok).toBe(true);
  expect((await cluster.waitExit("s0")).signal).toBe("SIGKILL");
  if (added.ok && added.data.status !== "committed") await mia.committed(added.data.txId);

  // s0 comes back unable to reach s1: in doubt about Mia's photo, still at version 1.
  cluster.cut("s0", "s1");
  await cluster.start("s0");
  await waitFor("s0 in doubt about Mia's photo", async () => ((await health(cluster.url("s0"))).inDoubt.length > 0 ? true : undefined));

  // Carl accepts version 2 on s3; the notice reaches the home, which cannot count Mia yet.
  const ballot = await carl.vote(eventId, 2, "accept");
  expect(ballot.ok).toBe(true);
  await waitFor("Carl's accept at the home", () => (readSiteState("s0", cluster.dataDir("s0")).ballots.some((b) => b.version === 2) ? true : undefined));
  expect(readSiteState("s0", cluster.dataDir("s0")).events[0]?.montageVersion).toBe(1);

  cluster.heal("s0", "s1");
  // Mia never votes: at the deadline the round is aborted everywhere, and it says who was missing.
  const views = await eventEverywhere(cluster, hana, eventId, (v) => v.lastAbortedRound?.version === 2 || v.published !== null, 90_000);
  for (const view of Object.values(views)) {
    expect(view.published, `${view.siteId} published without Mia's accept`).toBeNull();
    expect(view.lastAbortedRound).toMatchObject({ version: 2, outcome: "aborted", reason: "Time ran out before Mia voted." });
  }
  await waitQuiescent(cluster);
  await databasesConverged(cluster);
});
