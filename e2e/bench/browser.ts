import type { Page } from '@playwright/test';
import type { Step } from '#shared/check-schemas';
import type { TestApp } from '../../src/server/test-support/test-app.ts';
import { whenFinished } from './check-time.ts';
import { median, ms, percentile, ratio, type Figure } from './figures.ts';

const FINAL = new Set<Step['status']>(['passed', 'failed', 'warning', 'skipped']);
const now = () => performance.timeOrigin + performance.now();

declare global {
  interface Window {
    __shown: Record<string, number>;
    __last: Record<string, string>;
    __streamOpen: number;
    __rowsAt: number;
  }
}

/**
 * In the page before any of its scripts: the time each step row turns final, the time the events stream opened, and
 * the time the list's first row appeared. One clock for both sides: this machine's. Plain JavaScript in a string, so
 * nothing the TypeScript loader adds to functions (helpers the page lacks) comes along.
 */
const WATCH_PAGE = `(() => {
  const at = () => performance.timeOrigin + performance.now();
  const FINAL = /step-(passed|failed|warning|skipped)/;
  window.__shown = {};
  window.__last = {};
  window.__streamOpen = 0;
  window.__rowsAt = 0;
  const Native = window.EventSource;
  window.EventSource = function (url, init) {
    const source = new Native(url, init);
    source.addEventListener('open', () => { window.__streamOpen = window.__streamOpen || at(); });
    return source;
  };
  window.EventSource.prototype = Native.prototype;
  Object.assign(window.EventSource, { CONNECTING: 0, OPEN: 1, CLOSED: 2 });
  new MutationObserver(() => {
    const time = at();
    if (!window.__rowsAt && document.querySelector('tbody tr')) window.__rowsAt = time;
    for (const row of document.querySelectorAll('li.step')) {
      const name = row.querySelector('.step-name')?.textContent ?? '';
      // A row turning final, not one that already was: the previous check's rows stay until the new one renders.
      const was = window.__last[name];
      if (FINAL.test(row.className) && was !== undefined && !FINAL.test(was) && !window.__shown[name]) window.__shown[name] = time;
      window.__last[name] = row.className;
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
})();`;

export async function preparePage(page: Page) {
  await page.addInitScript({ content: WATCH_PAGE });
}

/**
 * From the server recording a step (the worker's change event) to the browser showing it (the row's class turning
 * final), for steps recorded after the page's event stream opened. Checks started from the detail page's Test button.
 */
export async function measureResultLatency(t: TestApp, page: Page, origin: string, destinationId: string, checks = 6): Promise<Figure> {
  const latencies: number[] = [];
  for (let run = 0; run < checks; run++) {
    const recorded: Record<string, number> = {};
    const onChange = (_id: string, update?: { check: { steps: Step[] } }) => {
      const time = now();
      for (const step of update?.check.steps ?? []) if (FINAL.has(step.status) && !recorded[step.name]) recorded[step.name] = time;
    };
    t.app.checkWorker.events.on('change', onChange);
    await page.goto(`${origin}/destinations/${destinationId}`);
    await page.getByRole('button', { name: /^Test( again)?$/ }).waitFor();
    const started = page.waitForResponse((response) => response.url().endsWith('/connection-check') && response.request().method() === 'POST');
    await page.evaluate(() => {
      window.__shown = {};
      window.__streamOpen = 0;
    });
    await page.getByRole('button', { name: /^Test( again)?$/ }).click();
    const checkId = ((await (await started).json()) as { id: string }).id;
    const finished = await whenFinished(t, checkId);
    t.app.checkWorker.events.off('change', onChange);
    // Steps recorded after the stream opened, each to be seen turning final in its row.
    const deadline = Date.now() + 5_000;
    for (;;) {
      const { shown, streamOpen } = await page.evaluate(() => ({ shown: window.__shown, streamOpen: window.__streamOpen }));
      const labels = await page.locator('li.step .step-name').allTextContents();
      // The rows keep the check's order of steps: the nth label is the nth step.
      const expected = finished.steps
        .map((step, index) => ({ recordedAt: recorded[step.name], seen: shown[labels[index] ?? ''] }))
        .filter(({ recordedAt }) => recordedAt !== undefined && streamOpen > 0 && recordedAt > streamOpen);
      if (expected.every(({ seen }) => seen !== undefined)) {
        for (const { recordedAt, seen } of expected) latencies.push(seen! - recordedAt!);
        break;
      }
      if (Date.now() > deadline) throw new Error('the page did not show every step of the check within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  if (latencies.length === 0) throw new Error('no step was recorded after the event stream opened');
  const worst = Math.max(...latencies);
  return {
    name: 'Result latency: server records a step → browser shows it',
    value: `median ${ms(median(latencies))}, p95 ${ms(percentile(latencies, 95))}, max ${ms(worst)}`,
    budget: '≤ 150 ms (max)',
    pass: worst <= 150,
    detail: `${latencies.length} steps over ${checks} checks from the detail page`,
  };
}

/** Navigation start to the first row of the list in the DOM (at `path`, by default the list unfiltered), median of `runs` loads. */
export async function listRenderTime(page: Page, origin: string, runs = 7, path = '/destinations'): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    await page.goto(`${origin}${path}`);
    await page.locator('tbody tr').first().waitFor();
    times.push(await page.evaluate(() => window.__rowsAt - performance.timeOrigin));
  }
  return median(times);
}

/** On the loaded list, from choosing an order to its first row showing `expectedFirst`, median of `runs`. */
export async function reorderTime(page: Page, origin: string, expectedFirst: string, runs = 7): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    await page.goto(`${origin}/destinations`);
    await page.locator('tbody tr').first().waitFor();
    const started = now();
    await page.getByLabel('Sort by', { exact: true }).selectOption('name');
    await page.locator('tbody tr').first().locator('th', { hasText: expectedFirst }).waitFor();
    times.push(now() - started);
  }
  return median(times);
}

export function listRenderFigure(few: number, many: number, counts: [number, number], budget = 2, what = 'List page in Chromium'): Figure {
  const slower = many / few;
  return {
    name: `${what}: ${counts[1].toLocaleString('en')} destinations vs ${counts[0].toLocaleString('en')}`,
    value: `${ms(many)} vs ${ms(few)} = ${ratio(slower)}`,
    budget: `≤ ${budget}×`,
    pass: slower <= budget,
    detail: 'navigation start to the first table row, median of 7 loads each; 50 rows a page',
  };
}
