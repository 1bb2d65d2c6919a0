import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import * as path from 'path';

/**
 * What several browser tests share: opening the sidebar, writing a cell, shutting
 * real sessions down, and where screenshots go.
 */

/** Opens the Green Assist sidebar through its command and waits until it shows. */
export async function openSidebar(page: IJupyterLabPageFixture): Promise<Locator> {
  await page.evaluate(() => window.jupyterapp.commands.execute('green-assist:open-sidebar'));
  const sidebar = page.locator('#green-assist-sidebar');
  await expect(sidebar).toBeVisible();
  return sidebar;
}

/** Sets the source of code cell ``index`` of the current notebook, adding cells up to it. */
export async function setCellSource(page: IJupyterLabPageFixture, index: number, source: string): Promise<void> {
  await page.evaluate(
    ([i, text]) => {
      const panel = window.jupyterapp.shell.currentWidget as any;
      const cells = panel.content.model.sharedModel;
      while (cells.cells.length <= i) {
        cells.insertCell(cells.cells.length, { cell_type: 'code', source: '' });
      }
      panel.content.model.cells.get(i).sharedModel.setSource(text);
    },
    [index, source] as [number, string]
  );
}

/**
 * Counts the messages the page receives from kernels (frames on their websockets), from
 * now on: a sidebar and a kernel that answer each other in a loop show up as hundreds a
 * second while the notebook is idle.
 */
export function countKernelMessages(page: IJupyterLabPageFixture): () => number {
  let received = 0;
  page.on('websocket', socket => {
    if (socket.url().includes('/api/kernels/')) {
      socket.on('framereceived', () => {
        received += 1;
      });
    }
  });
  return () => received;
}

/**
 * Real sessions outlive the page: a retry (same tmp path) must not find this attempt's
 * Untitled.ipynb session, or File > New skips the kernel dialog Galata waits for.
 * Call at the top of a spec that uses real kernels.
 */
export function shutDownSessionsAfterEach(): void {
  test.afterEach(async ({ page }) => {
    await page.evaluate(() => window.jupyterapp?.serviceManager.sessions.shutdownAll());
  });
}

/**
 * Where the browser tests save their screenshots: the README's images in docs/images
 * when GREEN_ASSIST_UPDATE_SCREENSHOTS=1 (`make screenshots`), otherwise beside the
 * other test output, so a plain test run leaves the working tree as it was.
 */
const SCREENSHOTS = process.env.GREEN_ASSIST_UPDATE_SCREENSHOTS
  ? path.resolve(__dirname, '../../docs/images')
  : path.resolve(__dirname, '../test-results/screenshots');

export function screenshotPath(name: string): string {
  return path.join(SCREENSHOTS, name);
}
