import type { Browser, Page } from 'playwright-core';

export interface FakeHost {
  pageUrl(state?: unknown): string;
  close(): Promise<void>;
}
export function startFakeHost(): Promise<FakeHost>;
export function launchBrowser(): Promise<Browser>;
export function openPanel(browser: Browser, host: FakeHost, state?: unknown): Promise<{ tab: Page; errors: string[] }>;
/** Registers the suite's before/after hooks (node:test) for the fake host and Chromium; `open` is its openPanel. */
export function useFakeHostAndBrowser(): { open(state?: unknown): Promise<{ tab: Page; errors: string[] }> };
export function deliver(tab: Page, snapshot: unknown): Promise<[number, number]>;
export function deliverMessage(tab: Page, message: unknown): Promise<[number, number]>;
