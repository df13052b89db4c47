#!/bin/sh
# Writes lib/images/fixture-files/private-metadata.heic (below: display-p3.heic): a 64 × 48 JPEG carrying the private
# metadata of makePhotoWithPrivateMetadata (lib/images/fixtures.ts), encoded to HEIC by Debian's
# heif-enc (apt-get install libheif-examples; libheif 1.15 with x265), which copies EXIF and XMP.
# Run once by hand; the output is committed (nothing here can encode HEVC at test time).
set -eu
cd "$(dirname "$0")/.."
command -v heif-enc >/dev/null || { echo "heif-enc is missing: apt-get install libheif-examples" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npx tsx -e "import('./lib/images/fixtures').then(async (f) => require('node:fs').writeFileSync('$tmp/src.jpg', await f.makePhotoWithPrivateMetadata({ type: 'jpeg', orientation: 1, widthPx: 64, heightPx: 48 })))"
heif-enc -q 70 "$tmp/src.jpg" -o lib/images/fixture-files/private-metadata.heic
heif-info lib/images/fixture-files/private-metadata.heic
# display-p3.heic: DISPLAY_P3_FIXTURE_SRGB's two halves converted to Display P3 by sharp (which
# attaches the profile); heif-enc copies the profile.
npx tsx -e "import('./lib/images/fixtures').then(async (f) => { const { left, right } = f.DISPLAY_P3_FIXTURE_SRGB; const px = Buffer.alloc(64 * 48 * 3); for (let i = 0; i < 64 * 48; i++) px.set(i % 64 < 32 ? left : right, i * 3); await require('sharp')(px, { raw: { width: 64, height: 48, channels: 3 } }).withIccProfile('p3').png().toFile('$tmp/p3.png'); })"
heif-enc -q 90 "$tmp/p3.png" -o lib/images/fixture-files/display-p3.heic
heif-info lib/images/fixture-files/display-p3.heic
