// What a journey on a phone needs beyond taps: a finger dragging across the screen, the check that
// nothing makes the page scroll sideways, and a photo as the phone's own encoder writes it.
import type { Page } from "playwright-core";
import { expect } from "vitest";

/** A finger sliding from `from` to `to` (touch events through the DevTools protocol; Playwright only taps). */
export async function swipe(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  const cdp = await page.context().newCDPSession(page);
  const touch = (type: "touchStart" | "touchMove", x: number, y: number) =>
    cdp.send("Input.dispatchTouchEvent", { type, touchPoints: [{ x, y }] });
  await touch("touchStart", from.x, from.y);
  const steps = 10;
  for (let i = 1; i <= steps; i++) {
    await touch("touchMove", from.x + ((to.x - from.x) * i) / steps, from.y + ((to.y - from.y) * i) / steps);
  }
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await cdp.detach();
}

/**
 * Fails when the page is wider than the screen (`width` CSS pixels), so it would scroll sideways.
 * Fixed-position parts (drawers, toasts) add nothing to the page's width: check their boxes apart.
 */
export async function expectFitsScreen(page: Page, width: number, where: string): Promise<void> {
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scroll, `${where}: the page is wider than the phone`).toBeLessThanOrEqual(width);
}

/**
 * A JPEG photo drawn and encoded in `page` (the browser's own encoder, as a phone camera app would
 * hand it over): a gradient with random noise, so identical bytes elsewhere cannot be chance.
 */
export async function phonePhoto(page: Page, size: { width: number; height: number }): Promise<Buffer> {
  const bytes = await page.evaluate(async ({ width, height }) => {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext("2d");
    if (!context) throw new Error("no 2d canvas");
    const image = context.createImageData(width, height);
    const noise = crypto.getRandomValues(new Uint8Array(width * height));
    for (let i = 0; i < width * height; i++) {
      const pixel = [((i % width) * 255) / width, (Math.floor(i / width) * 255) / height, noise[i] ?? 0, 255];
      image.data.set(pixel, i * 4);
    }
    context.putImageData(image, 0, 0);
    const blob = await canvas.convertToBlob({ type: "image/jpeg", quality: 0.9 });
    return [...new Uint8Array(await blob.arrayBuffer())];
  }, size);
  return Buffer.from(bytes);
}
