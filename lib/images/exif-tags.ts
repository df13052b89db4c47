/** Tag ids found in an EXIF block: the main directory (IFD0) and the GPS directory. */
export interface ExifTags {
  readonly ifd0: readonly number[];
  readonly gps: readonly number[];
}

export const EXIF_TAG_ORIENTATION = 0x0112;
export const EXIF_TAG_GPS_POINTER = 0x8825;

/**
 * Lists the tags of an EXIF block as sharp's metadata().exif returns it ("Exif\0\0" then a
 * TIFF structure). Test-only, to prove a fixture really carries orientation and GPS before
 * checking that processing removed them. Minimal: reads tag ids, not values.
 */
export function readExifTags(exif: Uint8Array): ExifTags {
  const start = String.fromCharCode(...exif.subarray(0, 4)) === "Exif" ? 6 : 0;
  const tiff = new DataView(exif.buffer, exif.byteOffset + start, exif.length - start);
  const littleEndian = tiff.getUint16(0) === 0x4949; // "II"; "MM" is big-endian
  const readDirectory = (offset: number): Map<number, number> => {
    const entries = new Map<number, number>();
    const count = tiff.getUint16(offset, littleEndian);
    for (let i = 0; i < count; i++) {
      const entry = offset + 2 + i * 12;
      entries.set(tiff.getUint16(entry, littleEndian), tiff.getUint32(entry + 8, littleEndian));
    }
    return entries;
  };
  const ifd0 = readDirectory(tiff.getUint32(4, littleEndian));
  const gpsOffset = ifd0.get(EXIF_TAG_GPS_POINTER);
  const gps = gpsOffset === undefined ? new Map<number, number>() : readDirectory(gpsOffset);
  return { ifd0: [...ifd0.keys()], gps: [...gps.keys()] };
}
