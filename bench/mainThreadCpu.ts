import type { Browser, Page } from 'playwright-core';

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: { readonly name?: string };
}

/**
 * The main-thread CPU time (thread time, from a Chromium trace) of delivering `message` to the panel in
 * `tab` and running everything until the next frame. Wall time on a loaded machine mostly measures the
 * wait for a core; this measures the work, which is what the panel controls. The message is handed to
 * the page first, so its transfer from the bench is not counted.
 */
export async function mainThreadCpuMs(browser: Browser, tab: Page, message: unknown): Promise<number> {
  await tab.evaluate(data => { (globalThis as unknown as { __message: unknown }).__message = data; }, message);
  await browser.startTracing(tab, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'] });
  await tab.evaluate(async () => {
    const page = globalThis as unknown as { __message: unknown; __deliver: (data: unknown) => number; requestAnimationFrame: (callback: () => void) => number };
    performance.mark('ato-deliver');
    page.__deliver(page.__message);
    await new Promise(resolve => page.requestAnimationFrame(() => { resolve(undefined); }));
    performance.mark('ato-frame');
  });
  const trace: Uint8Array = await browser.stopTracing();
  const events = (JSON.parse(new TextDecoder().decode(trace)) as { traceEvents: TraceEvent[] }).traceEvents;
  const start = events.find(event => event.name === 'ato-deliver');
  const end = events.find(event => event.name === 'ato-frame');
  if (start === undefined || end === undefined) throw new Error('the trace lacks the delivery marks');
  // Every task of the page's main thread from the one that delivered the message to the frame's.
  let cpu = 0;
  for (const event of events) {
    if (event.ph !== 'X' || event.name !== 'RunTask' || event.pid !== start.pid || event.tid !== start.tid) continue;
    if (event.ts + (event.dur ?? 0) < start.ts || event.ts > end.ts) continue;
    cpu += (event.tdur ?? 0) / 1000;
  }
  return cpu;
}
