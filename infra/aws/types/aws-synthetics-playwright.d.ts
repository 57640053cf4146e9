/**
 * The part of the CloudWatch Synthetics Playwright library that canary/health-check.mjs uses. The
 * library exists only inside the canary runtime (a Lambda layer), so it is not an npm dependency;
 * this declaration lets `tsc` check the handler. Its Playwright objects are the runtime's Playwright
 * (syn-nodejs-playwright-6.0: Playwright 1.58); the types come from playwright-core.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_Nodejs_Playwright.html
 */
declare module "@aws/synthetics-playwright" {
  import type { Browser, Page } from "playwright-core";

  export const synthetics: {
    /** Launches the runtime's Chromium with the Synthetics defaults. */
    launch(options?: Record<string, unknown>): Promise<Browser>;
    /** A new page (and context) with HAR capture for the run report. */
    newPage(browser: Browser): Promise<Page>;
    /**
     * Runs one named step: records its result, duration and screenshots and publishes the
     * SuccessPercent and Duration metrics with the dimensions CanaryName and StepName. A failed step
     * is recorded as failed (and its error rethrown; the handler does not depend on that).
     */
    executeStep<T>(stepName: string, fn: () => Promise<T>, stepConfig?: Record<string, unknown>): Promise<T>;
    /** Closes every context and the browser. */
    close(): Promise<void>;
  };
}
