import { asciiAt, concatBytes } from "./bytes";
import { NO_EXIF_FACTS, readExifFacts, type ExifFacts } from "./exif-facts";
import type { StrippedOriginal } from "./stripped-original";

interface Box {
  readonly type: string;
  /** Where the box's content starts (after its header) and ends, as file offsets. */
  readonly start: number;
  readonly end: number;
}

interface Extent {
  readonly offset: number;
  readonly lengthBytes: number;
}

/** More boxes or items than any camera writes: a sign of garbage, not of a photo. */
const MAX_BOXES = 10_000;

/**
 * A HEIF file (HEIC or AVIF) without its private metadata, **without re-encoding and without
 * moving a byte**: the bytes of every `Exif` item (GPS, serials, maker notes, the EXIF
 * thumbnail) are overwritten in place with an empty EXIF block, and those of every `mime` item
 * (XMP, and whatever else a writer put there) with an empty XMP packet and spaces (XMP's own
 * padding). Nothing is moved,
 * so every offset in the file (`iloc`) stays right, and the images, their thumbnails and their
 * rotation (`irot`/`imir`, which is how HEIF says "turn this to be upright") are untouched.
 * Throws when the boxes do not parse (the caller then converts the photo instead).
 */
export function stripHeif(upload: Uint8Array): StrippedOriginal {
  const bytes = Uint8Array.from(upload); // written in place: never the caller's buffer
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const top = childBoxes(view, 0, bytes.length);
  if (top[0]?.type !== "ftyp") throw new Error("stripHeif: no ftyp box first");
  const meta = top.find((box) => box.type === "meta");
  if (!meta) throw new Error("stripHeif: no meta box");
  const metaChildren = childBoxes(view, meta.start + 4, meta.end); // meta is a full box
  const iinf = metaChildren.find((box) => box.type === "iinf");
  const iloc = metaChildren.find((box) => box.type === "iloc");
  const idat = metaChildren.find((box) => box.type === "idat");
  if (!iinf || !iloc) throw new Error("stripHeif: no item information or locations");

  const privateItems = readPrivateItems(view, iinf);
  const locations = readItemLocations(view, iloc, idat?.start ?? null, bytes.length);
  let facts: ExifFacts = NO_EXIF_FACTS;
  for (const [itemId, kind] of privateItems) {
    const extents = locations.get(itemId);
    if (!extents) continue; // no data here (or constructed from other items): nothing to clear
    for (const extent of extents) {
      if (extent.offset + extent.lengthBytes > bytes.length) throw new Error(`stripHeif: item ${itemId} lies past the end of the file`);
    }
    if (kind === "Exif") {
      if (facts === NO_EXIF_FACTS) facts = readHeifExif(concatBytes(extents.map((e) => bytes.subarray(e.offset, e.offset + e.lengthBytes))));
      overwrite(bytes, extents, EMPTY_HEIF_EXIF, 0x00);
    } else {
      overwrite(bytes, extents, EMPTY_XMP_PACKET, 0x20);
    }
  }
  // Orientation lives in irot/imir, which are kept; an EXIF orientation in HEIF is ignored by viewers.
  return { bytes, facts: { orientation: 1, capturedAtMs: facts.capturedAtMs }, reencoded: false };
}

/** A HEIF Exif item: 4-byte offset to the TIFF header (0), then an empty little-endian TIFF. */
const EMPTY_HEIF_EXIF = new Uint8Array([0, 0, 0, 0, 0x49, 0x49, 42, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

/** An XMP packet that says nothing; the rest of the item becomes spaces (XMP's own padding). */
const EMPTY_XMP_PACKET = new TextEncoder().encode('<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/><?xpacket end="w"?>');

function readHeifExif(item: Uint8Array): ExifFacts {
  if (item.length < 4) return NO_EXIF_FACTS;
  const tiffOffset = new DataView(item.buffer, item.byteOffset, item.byteLength).getUint32(0);
  return readExifFacts(item.subarray(Math.min(item.length, 4 + tiffOffset)));
}

/** Writes `head` (if it fits) then `fill` over the extents, as if they were one run of bytes. */
function overwrite(bytes: Uint8Array, extents: readonly Extent[], packet: Uint8Array, fill: number): void {
  const total = extents.reduce((sum, e) => sum + e.lengthBytes, 0);
  const head = packet.length <= total ? packet : new Uint8Array(0);
  let written = 0;
  for (const { offset, lengthBytes } of extents) {
    for (let i = 0; i < lengthBytes; i++, written++) bytes[offset + i] = written < head.length ? (head[written] ?? fill) : fill;
  }
}

function childBoxes(view: DataView, from: number, to: number): Box[] {
  const boxes: Box[] = [];
  let offset = from;
  while (offset + 8 <= to) {
    if (boxes.length >= MAX_BOXES) throw new Error("stripHeif: too many boxes");
    let size = view.getUint32(offset);
    const type = String.fromCharCode(view.getUint8(offset + 4), view.getUint8(offset + 5), view.getUint8(offset + 6), view.getUint8(offset + 7));
    let header = 8;
    if (size === 1) {
      size = Number(view.getBigUint64(offset + 8));
      header = 16;
    } else if (size === 0) {
      size = to - offset;
    }
    if (size < header || offset + size > to) throw new Error(`stripHeif: box ${type} overruns its parent`);
    boxes.push({ type, start: offset + header, end: offset + size });
    offset += size;
  }
  return boxes;
}

/** Item id → "Exif" or "mime" for the items that hold metadata rather than pixels. */
function readPrivateItems(view: DataView, iinf: Box): Map<number, "Exif" | "mime"> {
  const version = view.getUint8(iinf.start);
  const entriesAt = iinf.start + 4 + (version === 0 ? 2 : 4);
  const items = new Map<number, "Exif" | "mime">();
  for (const infe of childBoxes(view, entriesAt, iinf.end)) {
    if (infe.type !== "infe") continue;
    const infeVersion = view.getUint8(infe.start);
    if (infeVersion < 2) {
      // Version 0/1 entries have no item type: their content type says what they are.
      items.set(view.getUint16(infe.start + 4), "mime");
      continue;
    }
    const idBytes = infeVersion === 2 ? 2 : 4;
    const itemId = idBytes === 2 ? view.getUint16(infe.start + 4) : view.getUint32(infe.start + 4);
    const itemType = asciiAt(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), infe.start + 4 + idBytes + 2, 4);
    if (itemType === "Exif" || itemType === "mime") items.set(itemId, itemType);
  }
  return items;
}

/** Item id → where its bytes are (file offsets), for items stored in the file or in idat. */
function readItemLocations(view: DataView, iloc: Box, idatStart: number | null, fileBytes: number): Map<number, Extent[]> {
  let at = iloc.start;
  const version = view.getUint8(at);
  at += 4;
  const sizes = view.getUint8(at);
  const more = view.getUint8(at + 1);
  at += 2;
  const offsetSize = sizes >> 4;
  const lengthSize = sizes & 0x0f;
  const baseOffsetSize = more >> 4;
  const indexSize = version === 1 || version === 2 ? more & 0x0f : 0;
  const readUint = (bytes: number): number => {
    let value = 0;
    for (let i = 0; i < bytes; i++) value = value * 256 + view.getUint8(at + i);
    at += bytes;
    return value;
  };
  const itemCount = version < 2 ? readUint(2) : readUint(4);
  if (itemCount > MAX_BOXES) throw new Error("stripHeif: too many items");
  const locations = new Map<number, Extent[]>();
  for (let i = 0; i < itemCount; i++) {
    const itemId = version < 2 ? readUint(2) : readUint(4);
    const constructionMethod = version === 1 || version === 2 ? readUint(2) & 0x0f : 0;
    readUint(2); // data reference index: 0 = this file
    const baseOffset = readUint(baseOffsetSize);
    const extentCount = readUint(2);
    const extents: Extent[] = [];
    for (let e = 0; e < extentCount; e++) {
      if (indexSize > 0) readUint(indexSize);
      const extentOffset = readUint(offsetSize);
      const declaredBytes = readUint(lengthSize);
      const offset = baseOffset + extentOffset;
      // Length 0 means "to the end of the data" (of the file for method 0).
      const lengthBytes = declaredBytes === 0 && constructionMethod === 0 ? Math.max(0, fileBytes - offset) : declaredBytes;
      if (constructionMethod === 0) extents.push({ offset, lengthBytes });
      else if (constructionMethod === 1 && idatStart !== null) extents.push({ offset: idatStart + offset, lengthBytes });
    }
    if (at > iloc.end) throw new Error("stripHeif: item locations overrun their box");
    if (extents.length > 0) locations.set(itemId, extents);
  }
  return locations;
}
