import { openSource, type ImageSource } from "./image-source";
import { encodedImage, type EncodedImage } from "./encoded-image";
import { TILE_EDGE_PX, TILE_JPEG_QUALITY } from "./image-sizes";

/**
 * The square tile: montage source and UI thumbnail, always TILE_EDGE_PX × TILE_EDGE_PX so
 * montage cells can be cut from any tile alike. Cover crop with the "attention" strategy,
 * which keeps the region with the most skin tone, saturation and detail (usually the
 * people) rather than the geometric centre. Baseline (not progressive) JPEG: it decodes
 * faster when a montage reads dozens of tiles. Same metadata stripping as the display image.
 */
export async function encodeTile(source: ImageSource): Promise<EncodedImage> {
  const { data, info } = await openSource(source)
    .resize({ width: TILE_EDGE_PX, height: TILE_EDGE_PX, fit: "cover", position: "attention" })
    .flatten({ background: "#ffffff" })
    .toColourspace("srgb")
    .jpeg({ quality: TILE_JPEG_QUALITY, progressive: false, mozjpeg: false })
    .toBuffer({ resolveWithObject: true });
  return encodedImage(data, info);
}
