/**
 * The sidebar as a user meets it: the power chart (time axis, idle gaps, run
 * boundaries, hover), the cells table at the default width, "Why?" rendered as
 * Markdown, keyboard access, and axe-core in the light and dark themes.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';
import * as path from 'path';
import { openSidebar, screenshotPath, setCellSource, shutDownSessionsAfterEach } from './helpers';

const NOTEBOOKS = path.resolve(__dirname, '../notebooks');
const QUICKSTART = path.resolve(__dirname, '../../examples/quickstart.ipynb');

test.use({ kernels: null, sessions: null, viewport: { width: 1280, height: 900 } });

shutDownSessionsAfterEach();

const BUSY = (seconds: number) =>
  `import time\nt0 = time.time()\nwhile time.time() - t0 < ${seconds}:\n    sum(range(10_000))`;

/** Two profiled runs with idle time between them. */
async function twoRunsWithAPause(page: IJupyterLabPageFixture, sidebar: Locator) {
  await expect(sidebar.locator('.jp-GreenAssist-toggle input')).toBeChecked({ timeout: 60000 });
  await setCellSource(page, 0, BUSY(2.5));
  await setCellSource(page, 1, BUSY(2.5));
  await page.notebook.runCell(0);
  await page.waitForTimeout(2500); // idle: nothing is measured
  await page.notebook.runCell(1);
  await expect(sidebar.locator('.jp-GreenAssist-cellRow')).toHaveCount(2, { timeout: 30000 });
}

/** No element of `container` is wider than the box it sits in (nothing clipped, no scroll). */
async function overflowing(container: Locator): Promise<string[]> {
  return container.evaluate(root => {
    const found: string[] = [];
    // Text for screen readers only is clipped on purpose.
    const nodes = ([root, ...Array.from(root.querySelectorAll('*'))] as HTMLElement[]).filter(
      node => !node.closest('.jp-GreenAssist-srOnly')
    );
    for (const node of nodes) {
      if (node.scrollWidth > node.clientWidth + 1 && getComputedStyle(node).overflowX !== 'visible') {
        found.push(`${node.tagName}.${node.className}: ${node.scrollWidth} > ${node.clientWidth}`);
      }
      if (node.scrollWidth > node.clientWidth + 1 && ['TD', 'TH', 'TABLE', 'DIV'].includes(node.tagName)) {
        found.push(
          `${node.tagName}.${node.className} "${node.textContent}": ${node.scrollWidth} > ${node.clientWidth}`
        );
      }
    }
    const box = root.getBoundingClientRect();
    for (const node of nodes) {
      const rect = node.getBoundingClientRect();
      if (rect.width > 0 && rect.right > box.right + 1) {
        found.push(`${node.tagName}.${node.className} sticks out by ${Math.round(rect.right - box.right)} px`);
      }
    }
    return found;
  });
}

test.describe('power chart and cells table', () => {
  test('the chart has a time axis, idle gaps, run boundaries and a hover readout', async ({ page }) => {
    await page.notebook.createNew('chart.ipynb');
    const sidebar = await openSidebar(page);
    await twoRunsWithAPause(page, sidebar);

    const chart = sidebar.locator('.jp-GreenAssist-chartBox');
    await expect(chart).toBeVisible();
    // A time axis with clock labels (hh:mm:ss), and a power scale.
    const times = chart.locator('[data-field="chart-time"]');
    expect(await times.count()).toBeGreaterThanOrEqual(2);
    await expect(times.first()).toHaveText(/\d{1,2}:\d{2}:\d{2}/);
    await expect(chart.locator('[data-field="chart-top"]')).toHaveText(/\d.*W/);
    // Each run is its own trace, with a marked start: the pause between them is a gap.
    const runs = chart.locator('.jp-GreenAssist-run');
    await expect(runs).toHaveCount(2);
    await expect(chart.locator('.jp-GreenAssist-boundary')).toHaveCount(2);
    const spans = await runs.evaluateAll(groups =>
      groups.map(group => {
        const xs = Array.from(group.querySelectorAll('polyline')).flatMap(line =>
          (line.getAttribute('points') ?? '')
            .trim()
            .split(' ')
            .map(point => parseFloat(point.split(',')[0]))
        );
        return [Math.min(...xs), Math.max(...xs)];
      })
    );
    expect(spans[0][1]).toBeLessThan(spans[1][0]); // the first trace ends before the second starts
    // Nothing drops to 0 W between runs: no point sits on the axis.
    const zeroPoints = await chart
      .locator('polyline')
      .evaluateAll(lines =>
        lines.flatMap(line => (line.getAttribute('points') ?? '').trim().split(' ')).filter(p => p.endsWith(',102.0'))
      );
    expect(zeroPoints).toEqual([]);

    // Hover: the time, each component's power and the cell.
    const box = await chart.boundingBox();
    await page.mouse.move(box!.x + box!.width - 20, box!.y + box!.height / 2);
    const tip = chart.locator('.jp-GreenAssist-chartTip');
    await expect(tip).toBeVisible();
    await expect(tip).toContainText(/\d{1,2}:\d{2}:\d{2}/);
    await expect(tip.locator('[data-field="chart-cell"]')).toHaveText('cell 2 · In [2]');
    await expect(tip.locator('[data-component="cpu"]')).toContainText(/cpu: ≈?\d.*W/);
    // The same readout from the keyboard.
    await page.mouse.move(0, 0);
    await chart.focus();
    await page.keyboard.press('Home');
    await expect(tip.locator('[data-field="chart-cell"]')).toHaveText('cell 1 · In [1]');
  });

  test('the cells table fits the default sidebar width; FLOPs on demand', async ({ page }) => {
    await page.notebook.createNew('table.ipynb');
    const sidebar = await openSidebar(page);
    await twoRunsWithAPause(page, sidebar);
    const table = sidebar.locator('.jp-GreenAssist-cellsView');
    const row = sidebar.locator('.jp-GreenAssist-cellRow').first();
    // Newest first, named as everywhere else, figures with their units.
    await expect(row.locator('[data-field="cell-name"]')).toHaveText('cell 2 · In [2]');
    await expect(row.locator('[data-field="cell-energy"]')).toHaveText(/^≈?\d[\d.]*\u00a0(mJ|J|Wh)$/);
    await expect(row.locator('[data-field="cell-time"]')).toHaveText(/^\d[\d.]*\u00a0s$/);
    expect(await overflowing(table)).toEqual([]);
    await expect(table.locator('[data-field="cell-flops"]')).toHaveCount(0);
    await table.getByLabel('Show FLOPs').check();
    await expect(table.locator('[data-field="cell-flops"]')).toHaveCount(2);
    await expect(row.locator('[data-field="cell-flops"]')).toHaveText('FLOPs not counted');
    expect(await overflowing(table)).toEqual([]);

    // A row is reached and used from the keyboard: Enter scrolls to (selects) its cell.
    await page.notebook.selectCells(0);
    await row.locator('tr').first().focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate(() => (window.jupyterapp.shell.currentWidget as any).content.activeCellIndex))
      .toBe(1);
  });
});

test.describe('status bar', () => {
  test('the kernel status follows the kernel: idle as soon as a profiled cell ends', async ({ page }) => {
    await page.notebook.createNew('status.ipynb');
    const sidebar = await openSidebar(page);
    await expect(sidebar.locator('.jp-GreenAssist-toggle input')).toBeChecked({ timeout: 60000 });
    await setCellSource(page, 0, BUSY(1.5));
    await page.notebook.runCell(0); // a first run warms the profiler up
    const status = page.locator('.jp-StatusBar-TextItem', { hasText: /Python 3.*\| (Idle|Busy)/ }).first();
    await expect(status).toContainText('Idle', { timeout: 30000 });
    await setCellSource(page, 0, BUSY(1.5));
    const run = page.notebook.runCell(0);
    await expect(status).toContainText('Busy', { timeout: 10000 });
    await expect(page.locator('.jp-InputPrompt').first()).toHaveText('[2]:', { timeout: 30000 });
    const ended = Date.now();
    await expect(status).toContainText('Idle', { timeout: 10000 });
    expect(Date.now() - ended).toBeLessThan(1000);
    await run;
    // Our own item shows the session energy, not a running cell, once the cell is done.
    await expect(page.locator('[data-field="status-energy"]')).toBeVisible({ timeout: 5000 });
  });
});

test.describe('findings, keyboard and accessibility', () => {
  test('Why? renders the rule page as Markdown with links; Fix works from the keyboard', async ({ page, tmpPath }) => {
    await page.contents.uploadFile(path.join(NOTEBOOKS, 'fp32_training.ipynb'), `${tmpPath}/fp32_training.ipynb`);
    await page.notebook.openByPath(`${tmpPath}/fp32_training.ipynb`);
    const sidebar = await openSidebar(page);
    const finding = sidebar.locator('.jp-GreenAssist-finding[data-code="GA101"]');
    // The first analysis starts the server's worker process: slow on a busy machine.
    await expect(finding).toBeVisible({ timeout: 90000 });

    const why = finding.getByRole('button', { name: 'Why?' });
    await why.focus();
    await page.keyboard.press('Enter');
    await expect(why).toHaveAttribute('aria-expanded', 'true');
    const page_ = finding.locator('.jp-GreenAssist-why .jp-RenderedMarkdown');
    await expect(page_).toBeVisible();
    await expect(page_.locator('strong', { hasText: 'Why it matters.' })).toBeVisible();
    await expect(page_.locator('code').first()).toBeVisible(); // `torch.autocast` is a code span
    const link = page_.locator('a[href^="http"]').first();
    await expect(link).toBeVisible();
    await expect(link).toHaveAttribute('target', '_blank');
    // Long links wrap inside the sidebar.
    expect(await overflowing(finding)).toEqual([]);

    await page.keyboard.press('Tab'); // to Fix
    await expect(finding.getByRole('button', { name: 'Fix' })).toBeFocused();
    await page.keyboard.press('Enter');
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('torch.autocast');
    // The notes read as prose: code in code spans, not backticks.
    await expect(dialog.locator('.jp-GreenAssist-notes code').first()).toBeVisible();
    await expect(dialog.locator('.jp-GreenAssist-notes')).not.toContainText('`');
    // The dialog takes the focus once it is attached; Escape before that goes elsewhere.
    await expect(page.locator('.jp-Dialog:focus-within')).toHaveCount(1);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`axe-core finds no serious or critical problem in the sidebar (${theme})`, async ({ page, tmpPath }) => {
      await page.contents.uploadFile(QUICKSTART, `${tmpPath}/quickstart.ipynb`);
      await page.notebook.openByPath(`${tmpPath}/quickstart.ipynb`);
      if (theme === 'dark') {
        await page.theme.setDarkTheme();
      }
      const sidebar = await openSidebar(page);
      await expect(sidebar.locator('.jp-GreenAssist-toggle input')).toBeChecked({ timeout: 60000 });
      await page.notebook.runCell(1);
      await page.notebook.runCell(2);
      await expect(sidebar.locator('.jp-GreenAssist-cellRow')).toHaveCount(2, { timeout: 60000 });
      const finding = sidebar.locator('.jp-GreenAssist-finding').first();
      await expect(finding).toBeVisible({ timeout: 90000 });
      await finding.getByRole('button', { name: 'Why?' }).click();
      await expect(finding.locator('.jp-RenderedMarkdown')).toBeVisible();
      await sidebar.locator('.jp-GreenAssist-chartBox, .jp-GreenAssist-chartEmpty').first().scrollIntoViewIfNeeded();

      const results = await new AxeBuilder({ page })
        .include('#green-assist-sidebar')
        .include('.jp-GreenAssist-cellFooter')
        .include('.jp-GreenAssist-status')
        .analyze();
      const serious = results.violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map(n => n.target.join(' ')).join(', ')}`);
      expect(serious).toEqual([]);
    });
  }

  test('README screenshots: the quickstart at two sidebar widths', async ({ page, tmpPath }) => {
    await page.contents.uploadFile(QUICKSTART, `${tmpPath}/quickstart.ipynb`);
    await page.notebook.openByPath(`${tmpPath}/quickstart.ipynb`);
    const sidebar = await openSidebar(page);
    await expect(sidebar.locator('.jp-GreenAssist-toggle input')).toBeChecked({ timeout: 60000 });
    await page.notebook.run();
    await expect(sidebar.locator('.jp-GreenAssist-cellRow')).toHaveCount(5, { timeout: 180000 });
    await expect(sidebar.locator('.jp-GreenAssist-finding').first()).toBeVisible({ timeout: 90000 });
    await page.notebook.selectCells(7);
    await sidebar.evaluate(node => node.scrollTo(0, 0));
    const width = await sidebar.evaluate(node => node.getBoundingClientRect().width);
    await page.screenshot({ path: screenshotPath('sidebar-light.png') });
    expect(await overflowing(sidebar.locator('.jp-GreenAssist-cellsView'))).toEqual([]);
    await page.theme.setDarkTheme();
    await page.screenshot({ path: screenshotPath('sidebar-dark.png') });
    await page.theme.setLightTheme();
    // A wider sidebar, dragged wider by its edge: the same content, with room to spare.
    const handle = page.locator('#jp-main-split-panel > .lm-SplitPanel-handle:not(.lm-mod-hidden)').last();
    const edge = await handle.boundingBox();
    await page.mouse.move(edge!.x + edge!.width / 2, edge!.y + edge!.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge!.x - width * 0.6, edge!.y + edge!.height / 2, { steps: 5 });
    await page.mouse.up();
    expect(await sidebar.evaluate(node => node.getBoundingClientRect().width)).toBeGreaterThan(width * 1.4);
    await sidebar.evaluate(node => node.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath('sidebar-wide.png') });
    expect(await overflowing(sidebar.locator('.jp-GreenAssist-cellsView'))).toEqual([]);
  });
});
