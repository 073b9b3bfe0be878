// Browser tests drive Debian's Chromium. Install it when missing and we are root
// (CI, fresh machines); otherwise say exactly what to run.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";

const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(path)) {
  if (process.getuid?.() === 0) {
    console.log(`[ensure-browser] ${path} missing: installing Debian's chromium…`);
    execSync(
      "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium",
      {
        stdio: "inherit",
      },
    );
  } else {
    console.error(`[ensure-browser] ${path} not found. Run: sudo apt-get install -y chromium`);
    process.exit(1);
  }
}
