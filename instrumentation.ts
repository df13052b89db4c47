// Runs once when a site's server process starts: validates the configuration (a bad value
// stops the site with a message naming the variable), applies migrations and starts the
// background loops, before the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startSiteOrExit } = await import("./lib/server/start-or-exit");
  startSiteOrExit();
}
