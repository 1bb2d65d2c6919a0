import { expect, test } from '@jupyterlab/galata';
import type { Browser, Page } from '@playwright/test';
import * as path from 'path';
import { screenshotPath } from './helpers';

const DATA = path.resolve(__dirname, '../../tests/report/data');

/**
 * A fresh page that can reach nothing but the report: every other request is
 * aborted and listed, so a report that needs the network fails the test.
 */
async function offlinePage(browser: Browser, baseURL: string, reportPath: string) {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1200, height: 1400 }
  });
  const page = await context.newPage();
  const blocked: string[] = [];
  await context.route('**/*', route => {
    const url = new URL(route.request().url());
    if (url.pathname === `/files/${reportPath}`) {
      return route.continue();
    }
    blocked.push(url.href);
    return route.abort();
  });
  return { page, blocked, close: () => context.close() };
}

/** Tables and charts fit the page width (nothing cut off when printed). */
async function nothingOverflows(page: Page) {
  return page.evaluate(() => {
    const width = document.body.clientWidth;
    return Array.from(document.querySelectorAll('table, svg'))
      .filter(element => element.getBoundingClientRect().right > width + 40)
      .map(element => element.outerHTML.slice(0, 80));
  });
}

test.describe('Session report', () => {
  test('the exported HTML report opens offline, prints, and is screenshotted', async ({
    page,
    browser,
    baseURL,
    tmpPath
  }) => {
    await page.contents.uploadFile(path.join(DATA, 'before.jsonl'), `${tmpPath}/logs/before.jsonl`);
    await page.contents.uploadFile(path.join(DATA, 'after.jsonl'), `${tmpPath}/logs/after.jsonl`);

    // What the sidebar's "Export report" sends: session logs in, a file in the root out.
    const exported = await page.request.post('/green-assist/report', {
      data: { sessions: [`${tmpPath}/logs/before.jsonl`], output: `${tmpPath}/report.html` }
    });
    expect(exported.status()).toBe(200);
    expect((await exported.json()).path).toBe(`${tmpPath}/report.html`);
    const compared = await page.request.post('/green-assist/report', {
      data: {
        sessions: [`${tmpPath}/logs/before.jsonl`],
        compare: [`${tmpPath}/logs/after.jsonl`],
        output: `${tmpPath}/comparison.html`
      }
    });
    expect(compared.status()).toBe(200);
    // An export path outside the server's root is refused.
    const escaped = await page.request.post('/green-assist/report', {
      data: { sessions: [`${tmpPath}/logs/before.jsonl`], output: '../escaped.html' }
    });
    expect(escaped.status()).toBe(403);

    const report = await offlinePage(browser, baseURL!, `${tmpPath}/report.html`);
    await report.page.goto(`/files/${tmpPath}/report.html`);
    await expect(report.page).toHaveTitle('Energy report');
    await expect(report.page.locator('svg.chart')).toHaveCount(2);
    await expect(report.page.locator('#totals .card')).toHaveCount(4);
    await expect(report.page.locator('#cells tbody tr')).toHaveCount(5);
    await expect(report.page.locator('#findings .finding').first()).toContainText('GA109');
    await expect(report.page.locator('#methods')).toContainText('world average');
    // Estimates are drawn hatched and written with ≈: they never look measured.
    await expect(report.page.locator('#totals .fig.estimated').first()).toContainText('≈');
    expect(await nothingOverflows(report.page)).toEqual([]);
    await report.page.screenshot({ path: screenshotPath('report.png') });

    // Printed on A4 (about 794 CSS pixels wide), tables and charts still fit the page.
    await report.page.setViewportSize({ width: 794, height: 1123 });
    await report.page.emulateMedia({ media: 'print' });
    expect(await nothingOverflows(report.page)).toEqual([]);
    expect(report.blocked).toEqual([]);
    await report.close();

    const comparison = await offlinePage(browser, baseURL!, `${tmpPath}/comparison.html`);
    await comparison.page.goto(`/files/${tmpPath}/comparison.html`);
    await expect(comparison.page.locator('#pairs tbody tr')).toHaveCount(5);
    await expect(comparison.page.locator('#comparison')).toContainText('%');
    await comparison.page.screenshot({ path: screenshotPath('report-comparison.png') });
    expect(comparison.blocked).toEqual([]);
    await comparison.close();
  });
});
