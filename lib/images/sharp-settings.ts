import sharp from "sharp";

/**
 * Process-wide sharp (libvips) settings. Every module here that calls sharp imports this
 * file first, so the settings hold before the first image is touched.
 *
 * - Operation cache OFF. libvips caches recent operations so repeating one on the same
 *   input is free. Our inputs are fresh upload buffers and tiles that are never processed
 *   twice in a row, so the cache (by default up to 50 MB and 100 operations) would only
 *   hold memory. Off keeps memory proportional to the images in flight.
 * - Threads per image: 2, one per core of the target 2-core host. sharp runs each image on a
 *   libuv pool thread (4 by default, UV_THREADPOOL_SIZE), never on the event loop; libvips
 *   adds this many worker threads per image. On glibc without jemalloc sharp would default
 *   to 1 to limit memory fragmentation; 2 made a lone 12 MP upload ~10-15% faster in our
 *   (noisy, shared-VM) measurements, which is the latency a person waits for, while several
 *   uploads at once are bound by the 2 cores either way. Run sites with MALLOC_ARENA_MAX=2
 *   to keep glibc fragmentation in check (the launcher's job, not a library's).
 *   Output bytes do not depend on the thread count or on SIMD (tested), only speed does.
 */
export const SHARP_THREADS_PER_IMAGE = 2;

sharp.cache(false);
sharp.concurrency(SHARP_THREADS_PER_IMAGE);

export { sharp };
