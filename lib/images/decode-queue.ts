/**
 * Uploads decoded at once per site process. A 12 MP decode and its display and tile encodes
 * peak at ~60 MB of pixels and keep both cores of the target host busy by themselves; one at a
 * time keeps a site's memory to one decode and leaves CPU for the event loops (the four sites
 * of a host each decode their own uploads). Measured on the 2-core host, four concurrent
 * uploads in one process peaked ~110 MB above one at a time.
 */
export const UPLOAD_DECODES_AT_ONCE = 1;
/**
 * Uploads inside a site at once (body read, waiting or decoding, committing); the next one is
 * refused with 503 before its body is read. Each holds its body (≤ MAX_PHOTO_BYTES, 3-6 MB
 * from a phone) until it is answered.
 */
export const UPLOADS_IN_PROGRESS = 8;
