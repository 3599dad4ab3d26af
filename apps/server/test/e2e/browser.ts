import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/** Debian's Chromium (apt-get install chromium); Playwright's own browser downloads are not reachable here. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface LaunchOptions {
  /** A .y4m file Chromium plays as the camera (permission granted without a prompt). */
  fakeCamera?: string;
  viewport?: { width: number; height: number };
  /** Prefix of the temporary profile folder, to tell runs apart when debugging. */
  profilePrefix?: string;
  /** How long Playwright waits for elements and pages (15 s unless told). */
  timeoutMs?: number;
}

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Messages the pages logged as errors, and uncaught exceptions: handy in failure messages. */
  errors: string[];
  close(): Promise<void>;
}

/** A fresh headless Chromium with its own temporary profile (--user-data-dir), removed again on close. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium is missing at ${CHROMIUM_PATH} (apt-get install chromium).`);
  const userDataDir = await mkdtemp(join(tmpdir(), options.profilePrefix ?? "admit-browser-"));
  const camera = options.fakeCamera
    ? ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${options.fakeCamera}`]
    : [];
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_FLAGS, ...camera],
    viewport: options.viewport ?? { width: 1280, height: 800 },
    locale: "en-US",
    timezoneId: "America/New_York",
  });
  context.setDefaultTimeout(options.timeoutMs ?? 15_000);
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`console: ${message.text()}`);
    });
  };
  context.pages().forEach(watch);
  context.on("page", watch);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** What Chromium logs when a page's Content-Security-Policy blocks something (in the page or any frame of it). */
export function cspViolations(errors: string[]): string[] {
  return errors.filter((e) => /Content Security Policy|Refused to/i.test(e));
}

/** The storefront's tests: a generous timeout, since the machine running the suite may be busy with other tests at the same time. */
export function launchStorefrontBrowser(): Promise<TestBrowser> {
  return launchBrowser({ profilePrefix: "admit-storefront-", timeoutMs: 30_000 });
}

const run = promisify(execFile);

/**
 * A camera feed for Chromium's fake capture device: the image for `showSeconds`, then a blank white frame for
 * `blankSeconds`; Chromium plays the file in a loop. Returns the .y4m path and a cleanup function.
 *
 * The image is shown the way a phone is held up to a door's camera, never perfectly still: it tilts through ±15°
 * once a second (ten different angles at ten frames a second). A still image would make the test hang on a single
 * decoder pass: without BarcodeDetector (Chromium on Linux has none) the kiosk reads codes with zxing-js, which
 * misses about one ticket code in twenty shown square and upright (it takes a finder-like pattern in the data for a
 * corner and stops looking), and would miss it in every identical frame. Tilted, each of 380 ticket-length codes
 * tried, 80 of them ones zxing-js cannot read upright, was read in at least half of each second's frames.
 * `still: true` holds it perfectly still and square instead, as a phone resting on a stand is: the case the kiosk's
 * second decoder exists for.
 */
export async function imageAsCameraFeed(
  png: Buffer,
  options: { showSeconds?: number; blankSeconds?: number; still?: boolean } = {},
): Promise<{ file: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "admit-camera-"));
  const image = join(dir, "image.png");
  const file = join(dir, "camera.y4m");
  await writeFile(image, png);
  const show = options.showSeconds ?? 3;
  const blank = options.blankSeconds ?? 0;
  // 340 px square (quiet zone included), turned on a 420 px canvas so no corner is cut off, in the middle of the
  // 640x480 frame: inside the kiosk's scan box (80% of the shorter side, 384 px) at every angle.
  const tilt = options.still ? "pad=420:420:(ow-iw)/2:(oh-ih)/2:white" : "rotate='PI/12*(2*(t-floor(t))-1)':ow=420:oh=420:fillcolor=white";
  const frame = `scale=340:340:force_original_aspect_ratio=decrease,${tilt},pad=640:480:(ow-iw)/2:(oh-ih)/2:white,fps=10,format=yuv420p,setsar=1`;
  const args = blank
    ? [
        "-y", "-loop", "1", "-t", String(show), "-i", image,
        "-f", "lavfi", "-t", String(blank), "-i", "color=c=white:s=640x480:r=10",
        "-filter_complex", `[0:v]${frame}[a];[1:v]format=yuv420p,setsar=1[b];[a][b]concat=n=2:v=1:a=0[out]`,
        "-map", "[out]", "-r", "10", file,
      ]
    : ["-y", "-loop", "1", "-t", String(show), "-i", image, "-vf", frame, "-r", "10", file];
  await run("ffmpeg", ["-loglevel", "error", ...args]);
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}
