// Fails fast, with the fix, when the Chromium that playwright.config.ts launches is missing or broken.
// Playwright cannot download its browsers here: e2e runs on Debian's chromium (or CHROMIUM_PATH).
import { execFileSync } from "node:child_process";
import fs from "node:fs";

const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const fix = `Install Debian's Chromium: sudo apt-get install -y chromium (Playwright cannot download browsers here; set CHROMIUM_PATH to use another build)`;

if (!fs.existsSync(chromium)) {
  console.error(`Chromium not found at ${chromium}. ${fix}`);
  process.exit(1);
}
try {
  const version = execFileSync(chromium, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 30_000 });
  console.log(`chromium: ${version.trim()} (${chromium})`);
} catch (err) {
  console.error(`Chromium at ${chromium} does not run (${err.message.split("\n")[0]}). ${fix}`);
  process.exit(1);
}
