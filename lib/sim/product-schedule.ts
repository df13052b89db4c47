// One seeded schedule of the real product over the real engine: four sites (the engine's
// TwoPcNode over MemoryStore, the product's domain over the memory twin of its store), users who
// create events at different homes, add and remove photos at random sites and cast ballots; the
// home decides rounds with the product's own round step on its own (skewed, jumping) clock. A
// faulty network (loss, duplicates, delays, two- and one-way partitions, duplicated and stale
// replies), crashes, power loss and disk errors; then heal, quiesce and check. Same seed, same run.
import { castBallotHere } from "@/lib/product/ballot-casting";
import { changeKinds, decideRoundData, type AddPhotoData, type CreateEventData, type RemovePhotoData } from "@/lib/product/changes";
import { removalFacts } from "@/lib/product/rule-facts";
import { RoundDecider } from "@/lib/product/round-decider";
import { ballotGraceMs, ballotTarget, removalRefusal } from "@/lib/product/rules";
import type { Outcome } from "@/lib/twopc/outcome";
import type { MemoryTx } from "@/lib/twopc/memory-store";
import { participantFate } from "@/lib/twopc/history";
import { Checker } from "@/lib/twopc/sim/checker";
import { SimCluster, type CrashPlan, type SimSite } from "@/lib/twopc/sim/cluster";
import { SimNetwork, type NetworkFaults } from "@/lib/twopc/sim/network";
import { isPlantedBug, seamsFor, type PlantedBug } from "@/lib/twopc/sim/planted-bugs";
import { Prng } from "@/lib/twopc/sim/prng";
import { Scheduler } from "@/lib/twopc/sim/scheduler";
import { drawConfig, drawCrashPlan, runEvent, settleMicrotasks } from "@/lib/twopc/sim/schedule";
import { Tracer } from "@/lib/twopc/sim/trace";
import type { Change, SiteId, TxId } from "@/lib/twopc/types";
import { ProductChecker } from "./product-checker";
import { isProductBug, plantedBallotRule, plantedBallotStore, plantedRoundStep, type ProductBug } from "./product-bugs";
import { committedProduct, productDomain } from "./product-site";

export type SimBug = PlantedBug | ProductBug;

export function isSimBug(name: string): name is SimBug {
  return isPlantedBug(name) || isProductBug(name);
}

export interface ProductScheduleOptions {
  seed: number;
  trace?: boolean;
  plantedBug?: SimBug | undefined;
  /** Steps with faults before healing. */
  steps?: number;
}

export interface ProductScheduleResult {
  seed: number;
  violations: string[];
  trace: string[];
  stats: { events: number; txns: number; committed: number; aborted: number; crashes: number; virtualMs: number; calm: boolean };
}

const USERS = ["ana", "ben", "cleo", "dev", "eli"].map((name) => ({ userId: `u_${name}`, name: name[0]?.toUpperCase() + name.slice(1) }));
const LIMITS = { maxContributors: 3, maxPhotosPerPerson: 2 };
/** Events allowed after healing before "it never settles" is a violation. */
const MAX_QUIESCE_EVENTS = 60_000;
/** After heal, everything (every txn, every round) is decided within this much simulated time. */
const HEAL_BOUND_MS = 15 * 60_000;
/** A user's attempts at one change that the rules allow (busy and the like) before giving up. */
const MAX_ATTEMPTS = 10;

interface Chaos {
  crashPct: number;
  restartPct: number;
  partitionPct: number;
  jumpPct: number;
  diskFaultRate: number;
  blobLossRate: number;
}

/** A user's request (create, add or remove), followed until decided, refused or given up. */
interface Request {
  what: string;
  state: "active" | "committed" | "refused" | "gave-up";
}

interface Run {
  options: ProductScheduleOptions;
  productBug: ProductBug | undefined;
  prng: Prng;
  scheduler: Scheduler;
  tracer: Tracer;
  network: SimNetwork;
  cluster: SimCluster;
  checker: Checker;
  product: ProductChecker;
  crashPlan: CrashPlan;
  disk: { faultRate: number };
  chaos: Chaos;
  calm: boolean;
  ballotWindowMs: number;
  blobs: Map<SiteId, Set<string>>;
  events: string[];
  requests: Request[];
  changes: Map<TxId, Change>;
  deciders: Map<SiteId, RoundDecider>;
  /** True (scheduler) time each decide-round transaction was begun at. */
  decideBegunAtMs: Map<TxId, number>;
  stats: ProductScheduleResult["stats"];
  seq: number;
}

function drawFaults(prng: Prng, calm: boolean): NetworkFaults {
  if (calm) return { dropRate: 0, duplicateRate: 0, duplicateReplyRate: 0, minDelayMs: 1, maxDelayMs: prng.pick([5, 50]) };
  return {
    dropRate: prng.pick([0, 0.05, 0.2]),
    duplicateRate: prng.pick([0, 0.1]),
    duplicateReplyRate: prng.pick([0, 0.1]),
    minDelayMs: 1,
    maxDelayMs: prng.pick([5, 50, 400]),
  };
}

function drawChaos(prng: Prng, calm: boolean): Chaos {
  if (calm) return { crashPct: 0, restartPct: 0, partitionPct: 0, jumpPct: 0, diskFaultRate: 0, blobLossRate: 0 };
  return {
    ...prng.pick([
      { crashPct: 0, restartPct: 2, partitionPct: 0, jumpPct: 1 },
      { crashPct: 1, restartPct: 3, partitionPct: 1, jumpPct: 2 },
      { crashPct: 3, restartPct: 4, partitionPct: 2, jumpPct: 2 },
    ]),
    diskFaultRate: prng.pick([0, 0, 0.002, 0.01]),
    blobLossRate: prng.pick([0, 0.1]),
  };
}

/** Seconds to minutes, both signs: the sites' clocks never agree. */
const OFFSETS_MS = [0, 0, 2_000, -2_000, 40_000, -40_000, 180_000, -180_000];

function setUp(options: ProductScheduleOptions): Run {
  const prng = new Prng(options.seed);
  const scheduler = new Scheduler();
  const tracer = new Tracer(options.trace ?? false, () => scheduler.nowMs());
  const ids = ["s0", "s1", "s2", "s3"];
  const protocolBug = options.plantedBug !== undefined && isPlantedBug(options.plantedBug) ? options.plantedBug : undefined;
  const productBug = options.plantedBug !== undefined && isProductBug(options.plantedBug) ? options.plantedBug : undefined;
  const calm = prng.chance(0.2);
  const config = drawConfig(prng);
  const faults = drawFaults(prng, calm);
  const chaos = drawChaos(prng, calm);
  const crashPlan: CrashPlan = calm ? { armed: undefined, rate: 0 } : drawCrashPlan(prng, ids);
  const ballotWindowMs = prng.pick([15_000, 60_000, 120_000]);
  const checker = new Checker({ appNotes: false });
  const disk = { faultRate: chaos.diskFaultRate };
  const network = new SimNetwork({
    scheduler,
    prng,
    tracer,
    faults,
    validateWire: "sample",
    observer: { sent: (from, messages) => checker.observeMessages(from, messages), violation: (t) => checker.violation(t) },
  });
  const blobs = new Map(ids.map((id) => [id, new Set<string>()]));
  // The cluster needs the domains, the domains need the run (deciders, clock): tied once both exist.
  const holder: { run?: Run } = {};
  const runOf = () => holder.run ?? assertNever("run not set up");
  const cluster = new SimCluster({
    ids,
    scheduler,
    prng,
    tracer,
    network,
    config,
    seams: protocolBug ? seamsFor(protocolBug) : undefined,
    crashPlan,
    disk,
    domainFor: (id) =>
      productDomain({
        siteId: id,
        bug: productBug,
        limits: LIMITS,
        ballotWindowMs,
        nowMs: () => runOf().cluster.site(id).clock.nowMs(),
        hasBlob: (hash) => blobs.get(id)?.has(hash) ?? false,
        defer: (fn) => defer(runOf(), id, fn),
        ballotsChanged: (eventId) => runOf().deciders.get(id)?.consider(eventId),
      }),
    violation: (text) => checker.violation(text),
    restarted: (site) => restarted(runOf(), site),
  });
  checker.attach(cluster);
  const product = new ProductChecker({
    cluster,
    ballotWindowMs,
    trueNowMs: () => scheduler.nowMs(),
    photoChangeCommittedInLogs: (kind, eventId, photoId) => {
      const changeKind = kind === "add" ? changeKinds.addPhoto : changeKinds.removePhoto;
      for (const [txId, change] of runOf().changes) {
        if (change.kind !== changeKind || change.key !== eventId || !sameField(change, "photoId", photoId)) continue;
        for (const site of cluster.sites.values()) if (participantFate(site.store.committedLogFor(txId)) === "committed") return true;
      }
      return false;
    },
    decisionAt: (site, key) => decisionAt(runOf(), site, key),
    decideBegunAtMs: (txId) => runOf().decideBegunAtMs.get(txId),
    violation: (t) => checker.violation(t),
  });
  for (const site of cluster.sites.values()) site.clockOffsetMs = prng.pick(OFFSETS_MS);
  const run: Run = {
    options,
    productBug,
    prng,
    scheduler,
    tracer,
    network,
    cluster,
    checker,
    product,
    crashPlan,
    disk,
    chaos,
    calm,
    ballotWindowMs,
    blobs,
    events: [],
    requests: [],
    changes: new Map(),
    deciders: new Map(),
    decideBegunAtMs: new Map(),
    stats: { events: 0, txns: 0, committed: 0, aborted: 0, crashes: 0, virtualMs: 0, calm },
    seq: 0,
  };
  holder.run = run;
  tracer.line(() => `seed ${options.seed}: ${calm ? "CALM " : ""}config ${JSON.stringify(config)}; window ${ballotWindowMs}ms`);
  tracer.line(
    () =>
      `network ${JSON.stringify(faults)}; crashes ${JSON.stringify(crashPlan)}; chaos ${JSON.stringify(chaos)}; clocks ${[...cluster.sites.values()].map((s) => `${s.id}${s.clockOffsetMs >= 0 ? "+" : ""}${s.clockOffsetMs}`).join(" ")}${options.plantedBug ? `; PLANTED BUG ${options.plantedBug}` : ""}`,
  );
  return run;
}

/** The decide-round transaction whose commit `site` applied for this round, and its result, read from the site's own log. */
function decisionAt(run: Run, site: SimSite, key: { eventId: string; version: number; round: number }): { txId: TxId; result: unknown } | undefined {
  for (const [txId, change] of run.changes) {
    if (change.kind !== changeKinds.decideRound || change.key !== key.eventId) continue;
    const data = decideRoundData.safeParse(change.data);
    if (!data.success || data.data.version !== key.version || (data.data.round ?? 1) !== key.round) continue;
    for (const record of site.store.committedLogFor(txId)) if (record.kind === "participant.committed") return { txId, result: record.result };
  }
  return undefined;
}

function sameField(change: Change, name: string, value: string): boolean {
  const data = change.data;
  return typeof data === "object" && data !== null && !Array.isArray(data) && data[name] === value;
}

function assertNever(why: string): never {
  throw new Error(why);
}

function defer(run: Run, id: SiteId, fn: () => void): void {
  const site = run.cluster.site(id);
  const incarnation = site.incarnation;
  run.scheduler.after(0, "domain hook", () => {
    if (site.node && site.incarnation === incarnation) run.cluster.guarded(site, fn);
  });
}

function restarted(run: Run, site: SimSite): void {
  run.checker.checkReportedAfterRestart(site);
  run.product.siteRestarted(site.id);
  const node = site.node;
  if (!node) return;
  node.onDecision((event) => {
    if (event.role !== "coordinator" || event.decision !== "commit") return;
    const change = run.changes.get(event.txId);
    if (change?.kind === changeKinds.decideRound) {
      const decided = site.store.committedLogFor(event.txId).find((r) => r.kind === "coordinator.decided");
      run.product.roundDecisionTaken(event.txId, change, decided?.kind === "coordinator.decided" ? decided.result : undefined);
    }
    if (change?.kind === changeKinds.addPhoto || change?.kind === changeKinds.removePhoto) {
      const data = change.data;
      const photoId = typeof data === "object" && data !== null && !Array.isArray(data) ? String(data.photoId) : "";
      run.product.photoChangeCommitted(event.txId, change.kind === changeKinds.addPhoto ? "add" : "remove", change.key, photoId);
    }
  });
  // The product's own round decider, on this incarnation's clock, timers and committed store.
  const incarnation = site.incarnation;
  const alive = () => site.node === node && site.incarnation === incarnation;
  const decider = new RoundDecider({
    siteId: site.id,
    store: () => committedProduct(site.store),
    engine: {
      begin: (change) => {
        const txId = alive() ? begin(run, site, change, `decide ${change.key}`) : undefined;
        if (txId === undefined) throw new Error(`${site.id} is down`);
        return txId;
      },
      // A dead incarnation's wait never ends (as its process would never answer).
      waitForOutcome: (txId, ms) => (alive() ? run.cluster.guarded(site, () => node.waitForOutcome(txId, ms)) : undefined) ?? new Promise<Outcome>(() => undefined),
    },
    clock: site.clock,
    // True time: the site's clock offset and its jumps move the wall clock, never this one.
    monotonic: { nowMs: () => run.scheduler.nowMs() },
    ballotWindowMs: run.ballotWindowMs,
    timers: run.cluster.timersFor(site, incarnation),
    random: run.prng,
    log: { info: () => undefined, warn: () => undefined },
    step: (facts) => plantedRoundStep(run.productBug, facts),
  });
  run.deciders.set(site.id, decider);
  decider.start();
}

/** Starts a transaction at `site` (a throw there is the site's failure, handled by the cluster). */
function begin(run: Run, site: SimSite, change: Change, what: string): TxId | undefined {
  const node = site.node;
  if (!node) return undefined;
  const txId = run.cluster.guarded(site, () => node.begin(change));
  if (txId === undefined) return undefined;
  run.stats.txns += 1;
  run.changes.set(txId, change);
  if (change.kind === changeKinds.decideRound) run.decideBegunAtMs.set(txId, run.scheduler.nowMs());
  run.checker.begun.set(txId, { txId, coordinator: site.id, participants: [...run.cluster.sites.keys()] });
  run.tracer.line(() => `${site.id} BEGIN ${txId} ${what}`);
  return txId;
}

/**
 * A user's change at `site`, as the product's commands do it: ask the site's rules first, start
 * the transaction, follow it until decided; after an abort, ask the rules again — refused now, or
 * try again (a new transaction) after a pause, at most MAX_ATTEMPTS times.
 */
function request(run: Run, site: SimSite, what: string, change: Change, refusal: () => string | null): void {
  const req: Request = { what: `${what} at ${site.id}`, state: "active" };
  run.requests.push(req);
  const attempt = (n: number) => {
    if (!site.node) return; // the user's site is down: the browser gives up on it
    const refused = refusal();
    if (refused !== null) {
      req.state = "refused";
      return run.tracer.line(() => `user at ${site.id}: ${what} refused (${refused})`);
    }
    if (n > MAX_ATTEMPTS) {
      req.state = "gave-up";
      return;
    }
    const txId = begin(run, site, change, what);
    if (txId === undefined) return;
    follow(run, site, txId, (state) => {
      if (state === "committed") req.state = "committed";
      else run.scheduler.after(run.prng.between(20, 200 * n), "user retry", () => attempt(n + 1));
    });
  };
  attempt(1);
}

/** Waits for a txn's outcome as a user's page does (a 202 followed until decided). */
function follow(run: Run, site: SimSite, txId: TxId, done: (state: "committed" | "aborted") => void): void {
  const node = site.node;
  if (!node || site.incarnation !== run.cluster.site(site.id).incarnation) return;
  const incarnation = site.incarnation;
  // Reading the outcome touches the store, whose disk may fail: the site fail-stops, as a real one.
  const waiting = run.cluster.guarded(site, () => node.waitForOutcome(txId, run.prng.pick([50, 2_000])));
  void waiting?.then((outcome) => {
    run.tracer.line(() => `user at ${site.id} told: ${txId} ${outcome.state}${outcome.reason ? ` (${outcome.reason})` : ""}`);
    run.checker.told(outcome, site.id);
    if (outcome.state === "committed" || outcome.state === "aborted") return done(outcome.state);
    run.scheduler.after(1_000, "user follows", () => {
      if (site.incarnation === incarnation && site.node) follow(run, site, txId, done);
    });
  });
}

// ---- the users' actions ----

function hexId(n: number, salt: string): string {
  return `${n.toString(16).padStart(8, "0")}${salt}`.padEnd(64, "0");
}

function createEvent(run: Run, site: SimSite): void {
  const n = ++run.seq;
  const user = run.prng.pick(USERS);
  const data: CreateEventData = {
    eventId: `ev_sim${String(n).padStart(8, "0")}`,
    title: `Event ${n}`,
    homeSite: site.id,
    creatorId: user.userId,
    creatorName: user.name,
    createdAtMs: site.clock.nowMs(),
  };
  run.events.push(data.eventId);
  request(run, site, `create ${data.eventId}`, { key: data.eventId, kind: changeKinds.createEvent, data }, () =>
    committedProduct(site.store).event(data.eventId) ? "exists" : null,
  );
}

/** The domain's own vote at this site, as the command's early check ("could this site take it?"). */
function verdictHere(site: SimSite, change: Change): string | null {
  try {
    const verdict = site.store.transact((tx: MemoryTx) => site.domain.port.check(tx, change));
    return verdict.vote === "yes" ? null : verdict.reason;
  } catch (error) {
    return error instanceof Error ? error.message : String(error); // a throw counts as NO (DomainPort)
  }
}

function addPhoto(run: Run, site: SimSite, eventId: string): void {
  const n = ++run.seq;
  const user = run.prng.pick(USERS);
  const data: AddPhotoData = {
    eventId,
    photoId: `ph_sim${String(n).padStart(8, "0")}`,
    uploaderId: user.userId,
    uploaderName: user.name,
    originSite: site.id,
    sha256: hexId(n, "a"),
    displayHash: hexId(n, "b"),
    tileHash: hexId(n, "c"),
    width: 640,
    height: 480,
    createdAtMs: site.clock.nowMs(),
    originalHash: hexId(n, "d"),
    originalType: "jpeg",
    originalSizeBytes: 1_000_000,
    capturedAtMs: n % 3 === 0 ? null : site.clock.nowMs() - 60_000,
  };
  // The bytes are stored here, and pushed to each peer (best effort: a lost push is a NO there).
  for (const [id, set] of run.blobs) {
    if (id === site.id || !run.prng.chance(run.chaos.blobLossRate)) {
      set.add(data.displayHash);
      set.add(data.tileHash);
      set.add(hexId(n, "d")); // the original travels with them
    }
  }
  const change: Change = { key: eventId, kind: changeKinds.addPhoto, data };
  request(run, site, `add ${data.photoId} by ${user.userId} to ${eventId}`, change, () => verdictHere(site, change));
}

function removePhoto(run: Run, site: SimSite, eventId: string): void {
  const store = committedProduct(site.store);
  const photos = store.photos(eventId);
  const event = store.event(eventId);
  if (photos.length === 0 || !event) return;
  const photo = run.prng.pick(photos);
  const roll = run.prng.int(10);
  const requester = roll < 6 ? photo.uploaderId : roll < 9 ? event.creatorId : run.prng.pick(USERS).userId;
  const data: RemovePhotoData = { eventId, photoId: photo.photoId, requesterId: requester, originSite: site.id, requestedAtMs: site.clock.nowMs() };
  request(run, site, `remove ${photo.photoId} by ${requester} from ${eventId}`, { key: eventId, kind: changeKinds.removePhoto, data }, () => {
    const facts = removalFacts(committedProduct(site.store), eventId, photo.photoId);
    const refusal = removalRefusal({ ...facts.state, requester: { isUploader: facts.uploaderId === requester, isCreator: facts.creatorId === requester } });
    return refusal?.code ?? null;
  });
}

const REASONS = ["too dark", "my eyes are closed", "please remove the blurry one"];

function castBallot(run: Run, eventId: string): void {
  // Most people vote through their own browser's site; some at another one too (a phone and a
  // laptop), so the same person may vote at two sites at once.
  // Mostly the event's contributors (as some site knows them) vote; now and then someone else tries.
  const { prng, cluster } = run;
  const known = committedProduct(prng.pick([...cluster.sites.values()]).store);
  const contributors = known.event(eventId) ? known.contributors(eventId, known.event(eventId)?.montageVersion ?? 0).map((c) => c.id) : [];
  // …and mostly those who have not voted yet in the round that site has open (else the one that ended).
  const hasVoted = (u: (typeof USERS)[number]) => {
    const own = committedProduct(cluster.site(`s${USERS.indexOf(u) % cluster.sites.size}`).store);
    const open = own.latestRound(eventId, own.event(eventId)?.montageVersion ?? 0);
    return open !== undefined && open.outcome === null && own.ballot(open, u.userId) !== undefined;
  };
  const fresh = USERS.filter((u) => contributors.includes(u.userId) && !hasVoted(u));
  const voters = fresh.length > 0 && prng.chance(0.8) ? fresh : USERS.filter((u) => contributors.includes(u.userId));
  const user = (voters.length > 0 && prng.chance(0.85) ? prng.pick(voters) : prng.pick(USERS)) ?? assertNever("no user");
  const index = USERS.indexOf(user);
  const site = cluster.site(prng.chance(0.75) ? `s${index % cluster.sites.size}` : prng.pick([...cluster.sites.keys()]));
  const node = site.node;
  const committed = committedProduct(site.store);
  const event = committed.event(eventId);
  if (!node || !event) return;
  const version = prng.chance(0.9) ? event.montageVersion : Math.max(1, event.montageVersion - 1);
  const decision = prng.chance(0.8) ? "accept" : "reject";
  // The round the person's page showed: usually the one a ballot goes into now, sometimes none
  // named, sometimes one that has ended since (a stale page).
  const target = ballotTarget(committed.latestRound(eventId, version));
  const roll = prng.int(10);
  const round = roll < 2 ? undefined : roll < 8 ? target.round : Math.max(1, target.round - 1);
  const reason = decision === "reject" && prng.chance(0.5) ? prng.pick(REASONS) : undefined;
  const cast = cluster.guarded(site, () =>
    node.transact((tx) => {
      const result = castBallotHere(
        plantedBallotStore(run.productBug, tx),
        {
          eventId,
          version,
          round,
          user,
          decision,
          reason,
          siteId: site.id,
          nowMs: site.clock.nowMs(),
          ballotWindowMs: run.ballotWindowMs,
          ballotGraceMs: ballotGraceMs(run.ballotWindowMs),
        },
        plantedBallotRule(run.productBug),
      );
      if (!result.ok) return result;
      const { type: _type, eventId: _e, version: _v, round: cast, deadlineMs: _d, ...ballot } = result.notice;
      run.product.ballotAttempted({ eventId, version, round: cast ?? 1 }, ballot, event.homeSite);
      for (const peer of cluster.sites.keys()) {
        if (peer !== site.id) node.sendApp(tx, peer, `ballot:${eventId}:${version}:${cast ?? 1}:${user.userId}`, result.notice);
      }
      return result;
    }),
  );
  if (!cast) return;
  run.tracer.line(
    () => `user ${user.userId} at ${site.id}: ${decision} ${eventId} v${version} r${round ?? "-"} → ${cast.ok ? `recorded in r${cast.notice.round ?? 1}` : cast.refusal.code}`,
  );
  if (cast.ok) run.deciders.get(site.id)?.consider(eventId);
}

// ---- the schedule ----

function knownEvent(run: Run, site: SimSite, withPhotos = false): string | undefined {
  const store = committedProduct(site.store);
  const known = run.events.filter((e) => (store.event(e)?.montageVersion ?? -1) >= (withPhotos ? 1 : 0));
  return known.length > 0 ? run.prng.pick(known) : undefined;
}

const MAX_EVENTS = 3;
const MAX_REQUESTS = 16;

type Action = "create" | "add" | "remove" | "ballot" | "crash" | "restart" | "partition" | "jump" | "event";

/** Picks this step's action: percent chances per action, the rest delivers the next event. */
function drawAction(run: Run): Action {
  const { chaos } = run;
  const table: Array<[Action, number]> = [
    ["create", 2],
    ["add", 5],
    ["remove", 2],
    ["ballot", 8],
    ["crash", chaos.crashPct],
    ["restart", chaos.restartPct],
    ["partition", chaos.partitionPct],
    ["jump", chaos.jumpPct],
  ];
  let roll = run.prng.int(100);
  for (const [action, pct] of table) {
    if (roll < pct) return action;
    roll -= pct;
  }
  return "event";
}

function act(run: Run): void {
  const { prng, cluster } = run;
  const action = drawAction(run);
  const up = cluster.upSites();
  const site = up.length > 0 ? prng.pick(up) : undefined;
  const busy = run.requests.length >= MAX_REQUESTS;
  // Ballots go to events with a montage (at this site): a ballot on nothing only tests "not a contributor".
  const eventId = site && (action === "add" || action === "remove" || action === "ballot") ? knownEvent(run, site, action === "ballot") : undefined;
  switch (action) {
    case "create":
      if (site && run.events.length < MAX_EVENTS && !busy) createEvent(run, site);
      return;
    case "add":
      if (site && eventId && !busy) addPhoto(run, site, eventId);
      return;
    case "remove":
      if (site && eventId && !busy) removePhoto(run, site, eventId);
      return;
    case "ballot":
      if (eventId) castBallot(run, eventId);
      return;
    case "crash":
      if (!site) return;
      run.stats.crashes += 1;
      return cluster.crash(site.id, "at a random step");
    case "restart": {
      const down = cluster.downSites();
      if (down.length > 0) cluster.restart(prng.pick(down).id);
      return;
    }
    case "partition":
      return togglePartition(run);
    case "jump":
      return jumpClock(run);
    case "event":
      runEvent(run);
      return;
  }
}

function togglePartition(run: Run): void {
  const { prng, cluster, network, tracer } = run;
  const ids = [...cluster.sites.keys()];
  const a = prng.pick(ids);
  const b = prng.pick(ids.filter((x) => x !== a));
  if (prng.chance(0.5)) {
    if (network.isCutOneWay(a, b)) network.mendOneWay(a, b);
    else network.cutOneWay(a, b);
    return tracer.line(() => `one-way partition ${a}→${b} ${network.isCutOneWay(a, b) ? "cut" : "mended"}`);
  }
  if (network.isCut(a, b)) network.mend(a, b);
  else network.cut(a, b);
  tracer.line(() => `partition ${a}|${b} ${network.isCut(a, b) ? "cut" : "mended"}`);
}

/** A site's clock jumps (NTP step, VM pause) either way, or true time leaps for everyone. */
function jumpClock(run: Run): void {
  const { prng, cluster, scheduler, tracer } = run;
  if (prng.chance(0.3)) {
    const ms = prng.pick([100, 5_000, 60_000]);
    scheduler.jump(ms);
    return tracer.line(() => `time leaps ${ms}ms`);
  }
  const site = prng.pick([...cluster.sites.values()]);
  const ms = prng.pick([-90_000, -5_000, 5_000, 90_000]);
  site.clockOffsetMs += ms;
  run.product.clockChanged(site, ms);
  tracer.line(() => `${site.id} clock jumps ${ms}ms (offset ${site.clockOffsetMs}ms)`);
}

function scan(run: Run): void {
  run.checker.scan();
  run.product.scan();
}

async function heal(run: Run): Promise<void> {
  const { cluster, network, tracer, checker } = run;
  tracer.line(() => "HEAL: partitions mended, no more loss, crashes or disk errors, every site up");
  network.heal();
  run.crashPlan.armed = undefined;
  run.crashPlan.rate = 0;
  run.disk.faultRate = 0;
  for (const site of cluster.downSites()) cluster.restart(site.id);
  // A user whose site was down when they tried sees it again: the pending requests are theirs.
  const healedAtMs = run.scheduler.nowMs();
  let events = 0;
  while (checker.violations.length === 0 && runEvent(run)) {
    await settleMicrotasks();
    scan(run);
    if (++events > MAX_QUIESCE_EVENTS) return checker.violation(`§4.6: no quiescence after ${MAX_QUIESCE_EVENTS} events`);
  }
  const tookMs = run.scheduler.nowMs() - healedAtMs;
  if (tookMs > HEAL_BOUND_MS) checker.violation(`§4.6: quiescent only ${tookMs}ms after heal (bound ${HEAL_BOUND_MS}ms)`);
  tracer.line(() => `quiescent ${tookMs}ms after heal: final checks`);
}

/** Calm schedules (no faults at all): every change the rules allow must commit. */
function checkProgress(run: Run): void {
  if (!run.calm) return;
  for (const req of run.requests) {
    if (req.state === "gave-up" || req.state === "active") run.checker.violation(`progress: ${req.what} was allowed by the rules but ended ${req.state}, not committed`);
  }
}

export async function runProductSchedule(options: ProductScheduleOptions): Promise<ProductScheduleResult> {
  const run = setUp(options);
  const startedAtMs = run.scheduler.nowMs();
  for (const id of run.cluster.sites.keys()) run.cluster.restart(id);
  const steps = options.steps ?? 400;
  for (let step = 0; step < steps && run.checker.violations.length === 0; step++) {
    act(run);
    await settleMicrotasks();
    scan(run);
  }
  if (run.checker.violations.length === 0) await heal(run);
  if (run.checker.violations.length === 0) {
    run.checker.final();
    run.product.final();
    checkProgress(run);
    scan(run);
  }
  run.stats.virtualMs = run.scheduler.nowMs() - startedAtMs;
  run.stats.committed = run.checker.outcomes.committed;
  run.stats.aborted = run.checker.outcomes.aborted;
  for (const v of run.checker.violations) run.tracer.line(() => `VIOLATION ${v}`);
  return { seed: options.seed, violations: run.checker.violations, trace: run.tracer.lines, stats: run.stats };
}
