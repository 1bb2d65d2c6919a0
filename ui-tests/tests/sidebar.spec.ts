import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import * as path from 'path';
import { countKernelMessages, screenshotPath, shutDownSessionsAfterEach } from './helpers';

const QUICKSTART = path.resolve(__dirname, '../../examples/quickstart.ipynb');

async function openSidebarFromPalette(page: IJupyterLabPageFixture) {
  await page.keyboard.press('Control+Shift+C');
  const palette = page.locator('#command-palette');
  await palette.locator('input').fill('Green Assist: Open Sidebar');
  await palette.locator('.lm-CommandPalette-item', { hasText: 'Green Assist: Open Sidebar' }).click();
  const sidebar = page.locator('#green-assist-sidebar');
  await expect(sidebar).toBeVisible();
  return sidebar;
}

// Galata mocks the kernels and sessions APIs by default, and its mock answers a
// kernel restart with 201, which JupyterLab rejects: use the real server API.
test.use({ kernels: null, sessions: null });

shutDownSessionsAfterEach();

test.describe('Green Assist sidebar', () => {
  test('connects to the example notebook kernel', async ({ page, tmpPath }) => {
    await page.contents.uploadFile(QUICKSTART, `${tmpPath}/quickstart.ipynb`);
    const sidebar = await openSidebarFromPalette(page);
    await expect(sidebar.locator('.jp-GreenAssist-hint')).toContainText('Open a notebook');

    const kernelMessages = countKernelMessages(page);
    await page.notebook.openByPath(`${tmpPath}/quickstart.ipynb`);
    await page.notebook.activate('quickstart.ipynb');
    const connection = sidebar.locator('.jp-GreenAssist-connection');
    await expect(connection).toHaveAttribute('data-state', 'connected', { timeout: 60000 });
    await expect(sidebar.locator('.jp-GreenAssist-notebook')).toHaveText('quickstart.ipynb');

    // Connected and idle, the sidebar and the kernel leave each other alone: a few
    // messages at most in 3 s (when each answered the other's settings message with its
    // state, they exchanged hundreds a second and slowed everything on the page).
    await expect(sidebar.locator('.jp-GreenAssist-toggle input')).toBeChecked({ timeout: 30000 });
    await page.waitForTimeout(1000);
    const settled = kernelMessages();
    await page.waitForTimeout(3000);
    expect(kernelMessages() - settled).toBeLessThan(10);
    await expect(sidebar.locator('[data-field="hostname"]')).not.toBeEmpty();
    await expect(sidebar.locator('[data-field="cpu"]')).toContainText('×');
    await expect(sidebar.locator('[data-field="gpus"]')).not.toBeEmpty();

    // The bootstrap is silent: no execution count appears and no cell output is added.
    expect(await page.notebook.getCellCount()).toBeGreaterThan(3);
    await expect(page.locator('.jp-InputPrompt').first()).not.toContainText('[1]');

    await page.screenshot({ path: screenshotPath('sidebar.png') });
  });

  test('follows notebook switches, kernel restarts and page reloads', async ({ page, tmpPath }) => {
    await page.contents.uploadFile(QUICKSTART, `${tmpPath}/quickstart.ipynb`);
    // A saved notebook rather than File > New: Galata's createNew renames the new
    // file behind JupyterLab's back, so its session keeps the old path and a page
    // reload asks for a kernel again.
    await page.contents.uploadFile(QUICKSTART, `${tmpPath}/second.ipynb`);
    const sidebar = await openSidebarFromPalette(page);
    const connection = sidebar.locator('.jp-GreenAssist-connection');
    const kernelRow = sidebar.locator('[data-field="kernel"]');

    await page.notebook.openByPath(`${tmpPath}/quickstart.ipynb`);
    await expect(connection).toHaveAttribute('data-state', 'connected', { timeout: 60000 });
    const firstPid = await kernelRow.getAttribute('data-pid');

    // A second notebook gets its own kernel; the sidebar follows the one in focus.
    await page.notebook.openByPath(`${tmpPath}/second.ipynb`);
    await page.notebook.activate('second.ipynb');
    await expect(sidebar.locator('.jp-GreenAssist-notebook')).toHaveText('second.ipynb');
    await expect(connection).toHaveAttribute('data-state', 'connected', { timeout: 60000 });
    await expect(kernelRow).not.toHaveAttribute('data-pid', firstPid ?? '');
    await page.notebook.activate('quickstart.ipynb');
    await expect(sidebar.locator('.jp-GreenAssist-notebook')).toHaveText('quickstart.ipynb');
    await expect(kernelRow).toHaveAttribute('data-pid', firstPid ?? '');

    // Restart: a new kernel process, reconnected without user action.
    // Not awaited in the page: the command resolves only once the dialog is answered.
    await page.evaluate(() => {
      void window.jupyterapp.commands.execute('notebook:restart-kernel');
    });
    await page.locator('.jp-Dialog-button.jp-mod-accept').click();
    await expect(kernelRow).not.toHaveAttribute('data-pid', firstPid ?? '', { timeout: 60000 });
    await expect(connection).toHaveAttribute('data-state', 'connected', { timeout: 60000 });
    const restartedPid = await kernelRow.getAttribute('data-pid');

    // Reload the page: same kernel, connected again.
    // A plain browser reload: Galata's own reload waits for a Launcher that a
    // restored workspace does not show.
    await page.evaluate(() => window.location.reload());
    await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
    await page.waitForFunction(() => window.jupyterapp?.commands.hasCommand('green-assist:open-sidebar'));
    await page.evaluate(() => window.jupyterapp.restored);
    // Opening a notebook that has a running session reuses its kernel. Through the command,
    // not the file browser: the restored workspace may still be listing the folder, and
    // the notebook may already be open again.
    await page.evaluate(
      path => window.jupyterapp.commands.execute('docmanager:open', { path }),
      `${tmpPath}/quickstart.ipynb`
    );
    await page.notebook.activate('quickstart.ipynb');
    const reloaded = await openSidebarFromPalette(page);
    await expect(reloaded.locator('.jp-GreenAssist-connection')).toHaveAttribute('data-state', 'connected', {
      timeout: 60000
    });
    await expect(reloaded.locator('[data-field="kernel"]')).toHaveAttribute('data-pid', restartedPid ?? '');
  });
});
