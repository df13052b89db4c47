// Contract-true fixture data for the screen tests: every object is checked against the zod
// schema it claims to be, so a change of the contract breaks these fixtures loudly.
import {
  eventView,
  healthAnswer,
  publishedItem,
  type EventView,
  type HealthAnswer,
  type PublishedItem,
  type RoundView,
} from "../../lib/api/contract";

export const SITES = ["s0", "s1", "s2", "s3"] as const;
export const allAcked = () => SITES.map((siteId) => ({ siteId, acknowledged: true }));
export const ackedExcept = (...missing: string[]) => SITES.map((siteId) => ({ siteId, acknowledged: !missing.includes(siteId) }));

export const people = {
  mia: { userId: "u-mia", name: "Mia" },
  ben: { userId: "u-ben", name: "Ben Okafor" },
  lena: { userId: "u-lena", name: "Lena" },
  sam: { userId: "u-sam", name: "Sam" },
  noor: { userId: "u-noor", name: "Noor Haddad" },
} as const;

type Person = { userId: string; name: string };

const limits = { maxContributors: 10, maxPhotosPerPerson: 10, maxPhotoBytes: 20 * 1024 * 1024, ballotWindowMs: 120_000 };

const iso = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();

function viewer(person: Person | null, photoCount: number, options: Partial<EventView["viewer"]> = {}): EventView["viewer"] {
  return {
    userId: person?.userId ?? null,
    name: person?.name ?? null,
    isContributor: photoCount > 0,
    photoCount,
    canUpload: person !== null,
    canVote: false,
    ballot: null,
    hasCreatorRights: false,
    nextRound: { round: 1, opens: true },
    ...options,
  };
}

/** Who uploaded the seven photos of the big event. */
const sevenPhotos: Person[] = [people.mia, people.ben, people.lena, people.mia, people.sam, people.noor, people.ben];

function photos(eventId: string, uploaders: Person[], visible: boolean): EventView["photos"] {
  return uploaders.map((person, index) => {
    const photoId = `${eventId}-p${index + 1}`;
    return {
      photoId,
      uploaderId: person.userId,
      uploaderName: person.name,
      originSite: SITES[index % 4] ?? "s0",
      version: index + 1,
      width: 1600,
      height: 1200,
      createdAt: iso(-3_600_000 + index * 60_000),
      thumbUrl: visible ? `/api/photos/${photoId}/thumb` : null,
      imageUrl: visible ? `/api/photos/${photoId}/image` : null,
    };
  });
}

function contributors(uploaders: Person[], ballots: Record<string, "accept" | "reject"> = {}): EventView["contributors"] {
  const seen = new Map<string, { person: Person; count: number }>();
  for (const person of uploaders) {
    const entry = seen.get(person.userId) ?? { person, count: 0 };
    entry.count += 1;
    seen.set(person.userId, entry);
  }
  return [...seen.values()].map(({ person, count }) => ({ userId: person.userId, name: person.name, photoCount: count, ballot: ballots[person.userId] ?? null }));
}

function base(eventId: string, title: string): EventView {
  return {
    eventId,
    title,
    status: "open",
    homeSite: "s1",
    siteId: "s0",
    url: `http://127.0.0.1:8000/e/${eventId}`,
    createdAt: iso(-86_400_000),
    creatorName: people.mia.name,
    closed: false,
    montage: { version: 0, photoCount: 0, url: null, downloadUrl: null },
    photos: [],
    contributors: [],
    round: null,
    lastAbortedRound: null,
    rounds: [],
    minContributors: 1,
    published: null,
    sites: allAcked(),
    viewer: viewer(people.mia, 0),
    limits,
  };
}

const check = (event: EventView): EventView => eventView.parse(event);

export function emptyEvent(): EventView {
  return check(base("evt-empty", "Lisa's 30th birthday"));
}

export function pendingEvent(eventId = "evt-new", title = "Team offsite in Porto"): EventView {
  return check({ ...base(eventId, title), status: "pending", sites: ackedExcept("s2"), createdAt: iso(-2_000), viewer: { ...viewer(people.mia, 0), canUpload: false } });
}

function withPhotos(event: EventView, uploaders: Person[], visible: boolean): EventView {
  const version = uploaders.length;
  return {
    ...event,
    montage: {
      version,
      photoCount: uploaders.length,
      url: visible ? `/api/events/${event.eventId}/montage?size=preview&v=${version}` : null,
      downloadUrl: null,
    },
    photos: photos(event.eventId, uploaders, visible),
    contributors: contributors(uploaders),
  };
}

function round(version: number, ballots: Array<[Person, "accept" | "reject"]>, deadlineMs: number, outcome: RoundView["outcome"] = null, reason: string | null = null): RoundView {
  return {
    version,
    round: 1,
    deadline: iso(deadlineMs),
    remainingMs: outcome === null ? Math.max(0, deadlineMs) : null,
    ballots: ballots.map(([person, decision]) => ({ userId: person.userId, name: person.name, decision, reason: decision === "reject" ? "Too dark" : null, site: "s0" })),
    outcome,
    reason,
    decidedAt: outcome === null ? null : iso(deadlineMs),
    notVoted: [],
  };
}

/** Seven photos by five people, a ballot window open with 1:27 left, three accepts so far. */
export function votingEvent(options: { viewerBallot?: "accept" | null } = {}): EventView {
  const event = withPhotos(base("evt-voting", "Climbing weekend in Fontainebleau"), sevenPhotos, true);
  const accepted: Array<[Person, "accept"]> = [
    [people.ben, "accept"],
    [people.lena, "accept"],
  ];
  if (options.viewerBallot === "accept") accepted.push([people.mia, "accept"]);
  const ballots = Object.fromEntries(accepted.map(([p, d]) => [p.userId, d]));
  return check({
    ...event,
    status: "voting",
    contributors: contributors(sevenPhotos, ballots),
    round: round(event.montage.version, accepted, 87_000),
    viewer: viewer(people.mia, 2, { canUpload: false, canVote: options.viewerBallot !== "accept", ballot: options.viewerBallot ?? null }),
  });
}

/** The same event seen by someone who has not joined: no images, a join box. */
export function visitorEvent(): EventView {
  const event = votingEvent();
  const hidden = withPhotos(base("evt-voting", event.title), sevenPhotos, false);
  return check({ ...event, montage: hidden.montage, photos: hidden.photos, viewer: viewer(null, 0, { canUpload: false }) });
}

/** Open again after Sam rejected version 5 (the viewer, with two photos, had accepted it). */
export function abortedEvent(): EventView {
  const uploaders = sevenPhotos.slice(0, 5);
  const event = withPhotos(base("evt-aborted", "Grandma's 90th"), uploaders, true);
  const ended = round(5, [[people.mia, "accept"], [people.sam, "reject"]], -60_000, "aborted", "Sam rejected the montage.");
  return check({
    ...event,
    contributors: contributors(uploaders, { [people.mia.userId]: "accept", [people.sam.userId]: "reject" }),
    round: ended,
    lastAbortedRound: ended,
    rounds: [ended],
    viewer: viewer(people.mia, 2, { canUpload: true, canVote: true, ballot: null, nextRound: { round: 2, opens: true } }),
  });
}

/** An open event where the viewer has one photo: the upload screen. */
export function uploadEvent(): EventView {
  const uploaders = [people.mia, people.ben, people.lena];
  const event = withPhotos(base("evt-upload", "Summer picnic"), uploaders, true);
  return check({ ...event, viewer: viewer(people.mia, 1, { canUpload: true, canVote: true }) });
}

export function publishedEvent(seenBy: Person | null = null): EventView {
  const event = withPhotos(base("evt-published", "Climbing weekend in Fontainebleau"), sevenPhotos, true);
  const ballots = Object.fromEntries(sevenPhotos.map((p) => [p.userId, "accept" as const]));
  const publishedAt = iso(-7_200_000);
  return check({
    ...event,
    status: "published",
    contributors: contributors(sevenPhotos, ballots),
    round: round(7, sevenPhotos.map((p) => [p, "accept"] as [Person, "accept"]), -7_300_000, "published", null),
    published: {
      version: 7,
      publishedAt,
      url: `/api/events/${event.eventId}/montage?size=preview&v=7`,
      downloadUrl: `/api/events/${event.eventId}/montage?size=full&download=1`,
    },
    montage: { ...event.montage, downloadUrl: `/api/events/${event.eventId}/montage?size=full&download=1` },
    viewer: viewer(seenBy, sevenPhotos.filter((p) => p.userId === seenBy?.userId).length, { canUpload: false, ballot: seenBy ? "accept" : null }),
  });
}

export function publishedItems(): PublishedItem[] {
  const items: PublishedItem[] = [
    { eventId: "evt-published", title: "Climbing weekend in Fontainebleau", version: 7, photoCount: 7, contributors: ["Mia", "Ben Okafor", "Lena", "Sam", "Noor Haddad"], publishedAt: iso(-7_200_000) },
    { eventId: "evt-g2", title: "Lisa's 30th birthday", version: 12, photoCount: 12, contributors: ["Lisa", "Tom", "Ana"], publishedAt: iso(-3 * 86_400_000) },
    { eventId: "evt-g3", title: "Office bake-off", version: 4, photoCount: 4, contributors: ["Priya", "Jonas"], publishedAt: iso(-9 * 86_400_000) },
    { eventId: "evt-g4", title: "Harbour run 10k", version: 9, photoCount: 9, contributors: ["Kai", "Rosa", "Femi", "Ines"], publishedAt: iso(-20 * 86_400_000) },
  ].map((item) => ({ ...item, montageUrl: `/api/events/${item.eventId}/montage?size=preview&v=${item.version}`, pageUrl: `/p/${item.eventId}` }));
  return items.map((item) => publishedItem.parse(item));
}

export function healthWithPeerDown(): HealthAnswer {
  return healthAnswer.parse({
    siteId: "s0",
    peers: [
      { siteId: "s1", url: "http://127.0.0.1:8001", reachable: true, lastSeen: iso(-600), lastError: null, backlog: 0 },
      { siteId: "s2", url: "http://127.0.0.1:8002", reachable: false, lastSeen: iso(-252_000), lastError: "connect ECONNREFUSED 127.0.0.1:8002", backlog: 14 },
      { siteId: "s3", url: "http://127.0.0.1:8003", reachable: true, lastSeen: iso(-900), lastError: null, backlog: 1 },
    ],
    inDoubt: [{ txId: "tx-7f3a9c1e-photo", coordinator: "s2", preparedAt: iso(-95_000) }],
    quarantined: [],
  });
}

export function statusLog() {
  const lines = [
    { level: "info", msg: "heartbeat: s2 unreachable (connect ECONNREFUSED)", txId: null, ago: 250_000 },
    { level: "info", msg: "add photo: PREPARE sent to s1, s2, s3", txId: "tx-7f3a9c1e-photo", ago: 96_000 },
    { level: "info", msg: "add photo: prepared locally, voted YES", txId: "tx-7f3a9c1e-photo", ago: 95_500 },
    { level: "warn", msg: "PREPARE to s2 timed out after 2000 ms; outcome pending", txId: "tx-7f3a9c1e-photo", ago: 93_000 },
    { level: "info", msg: "inquiry: asked coordinator s2 for the decision", txId: "tx-7f3a9c1e-photo", ago: 60_000 },
    { level: "error", msg: "outbox: delivery to s2 failed, retry in 4.6 s (attempt 9)", txId: "tx-51b0e2aa-ballot", ago: 8_000 },
    { level: "info", msg: "create event: COMMIT applied", txId: "tx-c0ffee12-event", ago: 2_000 },
  ];
  // Newest first, as the site answers.
  return { lines: lines.map(({ ago, ...line }) => ({ time: iso(-ago), ...line })).reverse() };
}

// ---- images: calm SVG "photos" so the screenshots look like the product in use ----

const palettes: Array<[string, string, string]> = [
  ["#ffb88c", "#de6262", "#3d2c4e"],
  ["#a1c4fd", "#c2e9fb", "#2f5d50"],
  ["#f6d365", "#fda085", "#6b4226"],
  ["#84fab0", "#8fd3f4", "#27496d"],
  ["#fbc2eb", "#a6c1ee", "#4a3f6b"],
  ["#d4fc79", "#96e6a1", "#33553c"],
  ["#ffecd2", "#fcb69f", "#7a4a3a"],
  ["#cfd9df", "#e2ebf0", "#3b4b5c"],
];

function scene(index: number, width: number, height: number, x = 0, y = 0): string {
  const [top, bottom, ground] = palettes[index % palettes.length] ?? palettes[0]!;
  const id = `g${index}-${x}-${y}`;
  const sunX = x + width * (0.25 + ((index * 37) % 50) / 100);
  const hill = `M${x} ${y + height * 0.72} Q ${x + width * 0.3} ${y + height * (0.5 + (index % 3) * 0.05)} ${x + width * 0.55} ${y + height * 0.68} T ${x + width} ${y + height * 0.62} V ${y + height} H ${x} Z`;
  return `<defs><linearGradient id="${id}" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${top}"/><stop offset="1" stop-color="${bottom}"/></linearGradient></defs>
<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="url(#${id})"/>
<circle cx="${sunX}" cy="${y + height * 0.36}" r="${Math.min(width, height) * 0.1}" fill="#fff" fill-opacity="0.75"/>
<path d="${hill}" fill="${ground}" fill-opacity="0.85"/>`;
}

export function photoSvg(index: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300">${scene(index, 400, 300)}</svg>`;
}

/** A montage in the spirit of the real one: rows of tiles that fill the width, thin gutters. */
export function montageSvg(photoCount: number): string {
  const count = Math.max(1, photoCount);
  const rows = Math.max(1, Math.round(Math.sqrt(count * 0.75)));
  const width = 1600;
  const gap = 8;
  const rowHeight = 360;
  let tiles = "";
  let index = 0;
  for (let row = 0; row < rows; row++) {
    const inRow = Math.floor(count / rows) + (row < count % rows ? 1 : 0);
    const tileW = (width - gap * (inRow + 1)) / inRow;
    for (let col = 0; col < inRow; col++) {
      tiles += scene(index, tileW, rowHeight, gap + col * (tileW + gap), gap + row * (rowHeight + gap));
      index += 1;
    }
  }
  const height = rows * rowHeight + (rows + 1) * gap;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="#fff"/>${tiles}</svg>`;
}
