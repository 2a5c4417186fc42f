import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { seriousAccessibilityViolations } from './axe';
import { CHROMIUM_ARGS, findChromium } from './chromium';

/** Screenshots land here (gitignored), one file per step, named `<suite>--<step>.png`. */
export const SCREENSHOT_DIR = resolve(__dirname, '..', '..', '..', 'test-results', 'screenshots');

export const CHROMIUM = findChromium();

/**
 * `describe` when chromium is installed, else a skipped `describe` that says why (the suites need Debian's chromium;
 * `.ci/run` installs it).
 */
export const describeInBrowser: jest.Describe = CHROMIUM
  ? describe
  : (((name: string, fn: () => void) => {
      console.warn(`browser tests skipped: no chromium (apt-get install -y chromium, or set CHROMIUM_PATH): ${name}`);
      describe.skip(name, fn);
    }) as jest.Describe);

/**
 * One browser for a test file, a fresh context (cookies) per test. Every page visited through `visit`/`step` is
 * checked with axe-core (0 serious or critical violations) and photographed.
 */
export class BrowserHarness {
  private browser?: Browser;
  readonly visitedViolations: { step: string; violations: unknown[] }[] = [];

  constructor(
    readonly baseUrl: string,
    private readonly suite: string,
  ) {}

  async start(): Promise<void> {
    if (!CHROMIUM) throw new Error('no chromium');
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    this.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 30_000 });
  }

  async newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await this.browser!.newContext({ baseURL: this.baseUrl, javaScriptEnabled: true });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return { context, page };
  }

  /**
   * Checks the page as it is now: axe-core (serious/critical violations are collected and returned) and a
   * screenshot `<suite>--<name>.png`.
   */
  async step(page: Page, name: string): Promise<{ violations: unknown[]; screenshot: string }> {
    const screenshot = join(SCREENSHOT_DIR, `${this.suite}--${name}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    const violations = await seriousAccessibilityViolations(page);
    this.visitedViolations.push({ step: name, violations });
    return { violations, screenshot };
  }

  /** `step`, failing the test on any serious or critical accessibility violation. */
  async check(page: Page, name: string): Promise<void> {
    const { violations } = await this.step(page, name);
    expect({ step: name, violations }).toEqual({ step: name, violations: [] });
  }

  async close(): Promise<void> {
    await this.browser?.close();
  }

  /** Makes a Nest app listen on a free loopback port and starts a browser for it. */
  static async forApp(app: { listen(port: number, host: string): Promise<unknown>; getHttpServer(): { address(): unknown } }, suite: string): Promise<BrowserHarness> {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const harness = new BrowserHarness(`http://127.0.0.1:${port}`, suite);
    await harness.start();
    return harness;
  }
}
