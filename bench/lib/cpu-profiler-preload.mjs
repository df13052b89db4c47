// Preloaded into a site by the bench's --profile mode (NODE_OPTIONS=--import this file; Node 20
// refuses --cpu-prof in NODE_OPTIONS). SIGUSR2 starts V8's sampling profiler; the next SIGUSR2
// stops it and writes GROUPSHOT_CPU_PROFILE_DIR/<site>-<pid>-<n>.cpuprofile, so a profile
// covers exactly one measured phase. Inert without GROUPSHOT_CPU_PROFILE_DIR.
import { Session } from "node:inspector";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.GROUPSHOT_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 500 });
  let running = false;
  let written = 0;
  process.on("SIGUSR2", () => {
    if (!running) {
      session.post("Profiler.start");
      running = true;
      return;
    }
    running = false;
    session.post("Profiler.stop", (error, result) => {
      if (error) return;
      written += 1;
      writeFileSync(join(dir, `${process.env.SITE_ID || "site"}-${process.pid}-${written}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
