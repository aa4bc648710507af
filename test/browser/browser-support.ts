import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** What every browser test shares: Debian's Chromium (driven by playwright-core), axe-core and the screenshots folder. */

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  // Stops Chromium's own lookups of outside hosts: only the local stack answers.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];
const AXE_SOURCE = (createRequire(import.meta.url)('axe-core') as { source: string }).source;
/** WCAG 2.2 AA and axe's best practices. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

export const SCREENSHOTS_DIR = resolve(import.meta.dirname, '../../docs/screenshots');
/** Participant-page screenshots are refreshed on request only (TANDEM_SCREENSHOTS=1): they change with every copy edit. */
export const SCREENSHOTS_ON_REQUEST = process.env.TANDEM_SCREENSHOTS === '1' ? SCREENSHOTS_DIR : undefined;

/** Chromium, headless, or an error saying how to install it (a browser test never skips). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * axe-core's violations on the page as it is, one line each (id, help, targets). It is evaluated through the
 * DevTools protocol, which the page's own Content-Security-Policy does not block.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const { axe, document } = globalThis as unknown as {
      document: unknown;
      axe: { run: (context: unknown, options: object) => Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown }> }> }> };
    };
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => `${v.id}: ${v.help} (${JSON.stringify(v.nodes.map((n) => n.target))})`);
  }, AXE_TAGS);
}

export const scrollWidth = (page: Page): Promise<number> =>
  page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);

/**
 * A page's HTML rendered again in `checker` (a context with scripts on, so axe can run even when the page was used
 * with JavaScript off): axe-clean and no wider than 360 px; with TANDEM_SCREENSHOTS=1, `<name>.png` at 360 px and
 * `<name>-desktop.png` at 1280 px.
 */
export async function checkPageHtml(checker: BrowserContext, html: string, name: string): Promise<void> {
  const view = await checker.newPage();
  try {
    await view.setViewportSize({ width: 360, height: 740 });
    await view.setContent(html, { waitUntil: 'load' });
    expect(await axeViolations(view), name).toEqual([]);
    expect(await scrollWidth(view), `${name} is wider than 360 px`).toBeLessThanOrEqual(360);
    if (SCREENSHOTS_ON_REQUEST) {
      mkdirSync(SCREENSHOTS_ON_REQUEST, { recursive: true });
      await view.screenshot({ path: resolve(SCREENSHOTS_ON_REQUEST, `${name}.png`), fullPage: true });
      await view.setViewportSize({ width: 1280, height: 800 });
      await view.screenshot({ path: resolve(SCREENSHOTS_ON_REQUEST, `${name}-desktop.png`), fullPage: true });
    }
  } finally {
    await view.close();
  }
}

/** Does what submits a form (a click, Enter, Space) and waits for the page the POST returns. */
export async function posting(page: Page, act: () => Promise<void>): Promise<void> {
  await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), act()]);
  await page.waitForLoadState('load');
}

/**
 * Presses Tab (Shift+Tab when `backwards`) until the focused element matches `selector`, as a keyboard user would,
 * and fails if it is not reached within `maxPresses` (a focus trap, or the element is not focusable).
 */
export async function tabTo(page: Page, selector: string, options: { maxPresses?: number; backwards?: boolean } = {}): Promise<void> {
  const maxPresses = options.maxPresses ?? 30;
  for (let presses = 0; presses < maxPresses; presses++) {
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
    const focused = await page.evaluate(
      (wanted) =>
        (globalThis as unknown as { document: { activeElement: { matches(s: string): boolean } | null } }).document.activeElement?.matches(wanted) ?? false,
      selector,
    );
    if (focused) return;
  }
  throw new Error(`${selector} was not reached with ${maxPresses} presses of ${options.backwards ? 'Shift+Tab' : 'Tab'}`);
}
