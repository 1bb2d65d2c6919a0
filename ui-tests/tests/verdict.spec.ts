import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { screenshotPath, shutDownSessionsAfterEach } from './helpers';

// Advice → fix → re-run → measured verdict, in a real kernel: the preview's expected
// saving, the fix kept in the cell's metadata and told to the kernel (again after a
// restart), the verdict on the cell's row and footer, and Undo fix.
test.use({ kernels: null, sessions: null, viewport: { width: 1280, height: 900 } });

shutDownSessionsAfterEach();

const SETUP = [
  'import torch',
  'from torch import nn',
  'from torch.utils.data import DataLoader, TensorDataset',
  '',
  'torch.manual_seed(0)',
  'model = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 4))',
  'optimizer = torch.optim.SGD(model.parameters(), lr=0.01)',
  'loss_fn = nn.CrossEntropyLoss()',
  'data = TensorDataset(torch.randn(512, 32), torch.randint(0, 4, (512,)))',
  'loss_fn(model(data[:8][0]), data[:8][1]).backward()  # first-call costs here, not in the measured cell'
].join('\n');

// Small matrices: the time goes into per-operation overhead, so running 16 micro-batches
// per optimizer step (gradient accumulation) costs several times the CPU work of one batch.
// 40 epochs: about 0.2 s on an idle machine, so the run is long enough to be judged (runs
// under 0.05 s get no verdict; 4 epochs took 0.02 s and read "not judged").
const TRAIN = [
  'loader = DataLoader(data, batch_size=64)',
  'for epoch in range(40):',
  '    for x, y in loader:',
  '        optimizer.zero_grad()',
  '        loss = loss_fn(model(x), y)',
  '        loss.backward()',
  '        optimizer.step()'
].join('\n');

function notebook(): string {
  const cell = (id: string, source: string) => ({
    cell_type: 'code',
    id,
    metadata: {},
    execution_count: null,
    outputs: [],
    source
  });
  return JSON.stringify({
    cells: [cell('setup', SETUP), cell('train', TRAIN)],
    metadata: {
      kernelspec: { display_name: 'Python 3 (ipykernel)', language: 'python', name: 'python3' },
      language_info: { name: 'python' }
    },
    nbformat: 4,
    nbformat_minor: 5
  });
}

async function openNotebook(page: IJupyterLabPageFixture, tmpPath: string, name: string) {
  await page.contents.uploadContent(notebook(), 'text', `${tmpPath}/${name}`);
  await page.notebook.openByPath(`${tmpPath}/${name}`);
  await page.notebook.activate(name);
  await page.evaluate(() => window.jupyterapp.commands.execute('green-assist:open-sidebar'));
  const sidebar = page.locator('#green-assist-sidebar');
  await expect(sidebar.locator('.jp-GreenAssist-connection')).toHaveAttribute('data-state', 'connected', {
    timeout: 60000
  });
  // Automatic profiling is on by default (settings).
  await expect(sidebar.locator('.jp-GreenAssist-toggle input')).toBeChecked({ timeout: 30000 });
  return sidebar;
}

/** The training cell's source and green_assist metadata, from the shared model. */
function trainCell(page: IJupyterLabPageFixture) {
  return page.evaluate(() => {
    const panel = window.jupyterapp.shell.currentWidget as any;
    const cell = panel.content.model.cells.get(1).sharedModel;
    return { source: cell.getSource() as string, ours: (cell.getMetadata('green_assist') ?? null) as any };
  });
}

async function runCommandOnTrainCell(page: IJupyterLabPageFixture, command: string) {
  await page.notebook.selectCells(1);
  // Not awaited in the page: the command resolves once the preview is answered.
  await page.evaluate(id => {
    void window.jupyterapp.commands.execute(id);
  }, command);
  const dialog = page.locator('.jp-Dialog');
  await expect(dialog).toBeVisible({ timeout: 30000 });
  return dialog;
}

/** The newest row of the training cell in the sidebar's cells table. */
function latestTrainRun(sidebar: ReturnType<IJupyterLabPageFixture['locator']>) {
  return sidebar.locator('.jp-GreenAssist-cellRow[data-cell-id="train"]').first();
}

test.describe('measured verdict after a fix', () => {
  test.setTimeout(300000);

  test('mixed precision: expected saving in the preview, then the verdict names the fix, across a kernel restart', async ({
    page,
    tmpPath
  }) => {
    const sidebar = await openNotebook(page, tmpPath, 'mixed.ipynb');
    // The findings say which machine the advice is for: the kernel's.
    await expect(sidebar.locator('[data-field="advice-target"]')).toContainText("Advice for the kernel's machine", {
      timeout: 60000
    });
    await page.notebook.runCell(0);
    await page.notebook.runCell(1);
    await expect(latestTrainRun(sidebar)).toBeVisible({ timeout: 60000 });
    const before = await trainCell(page);

    // "Convert to mixed precision" on the cell works on any CPU: without bf16 units the
    // code it writes keeps FP32, and the preview says what to expect here.
    const dialog = await runCommandOnTrainCell(page, 'green-assist:refactor-mixed-precision');
    const expected = dialog.locator('[data-field="expected"]');
    await expect(expected).toContainText('Expected on this hardware (estimate):');
    await expected.getByText('Basis of this estimate').click();
    await expect(expected.locator('li').first()).toBeVisible();
    await dialog.getByRole('button', { name: 'Apply' }).click();

    const applied = await trainCell(page);
    expect(applied.source).toContain('autocast_dtype(');
    expect(applied.ours.fix).toEqual({
      refactor: 'mixed-precision',
      title: 'Convert to mixed precision',
      previous_source: before.source,
      measured: false
    });

    // A restart loses what the kernel was told: the sidebar tells the new kernel again.
    const kernelRow = sidebar.locator('[data-field="kernel"]');
    const firstPid = await kernelRow.getAttribute('data-pid');
    await page.evaluate(() => {
      void window.jupyterapp.commands.execute('notebook:restart-kernel');
    });
    await page.locator('.jp-Dialog-button.jp-mod-accept').click();
    await expect(kernelRow).not.toHaveAttribute('data-pid', firstPid ?? '', { timeout: 60000 });
    await expect(sidebar.locator('.jp-GreenAssist-connection')).toHaveAttribute('data-state', 'connected', {
      timeout: 60000
    });
    await expect(sidebar.locator('.jp-GreenAssist-toggle input')).toBeChecked({ timeout: 30000 });
    // The restart dialog took the focus: click the cell so that the run key reaches the
    // notebook (runCell skips the click for a cell that is already selected, and then
    // waits for an execution that never starts).
    await page.notebook.selectCells(0);
    await page.notebook.runCell(0);
    await page.notebook.runCell(1);

    // The run after the fix is compared with the run before it (in the earlier kernel's
    // log): whatever this CPU makes of it, the verdict names the fix.
    const verdict = latestTrainRun(sidebar).locator('.jp-GreenAssist-verdict');
    await expect(verdict).toHaveAttribute('data-kind', 'fix', { timeout: 60000 });
    await expect(verdict).toHaveText(
      /^(⚠ )?[+-]\d+% (energy|time) \(.+ → .+\) after Convert to mixed precision: (saved|no clear change|worse|not judged)/
    );
    const footer = page.locator('.jp-Notebook .jp-Cell').nth(1).locator('.jp-GreenAssist-footerVerdict');
    await expect(footer).toContainText('after Convert to mixed precision');
    await expect.poll(async () => (await trainCell(page)).ours?.fix?.measured).toBe(true);
  });

  test('a fix that made the cell worse: warning, Undo fix puts the code back', async ({ page, tmpPath }) => {
    // Gradient accumulation over 16 micro-batches keeps the effective batch but runs 16
    // small forward/backward passes per step: on these small matrices, much more CPU work
    // (its preview says so: "expect the same or a slightly longer time and energy").
    await page.evaluate(async () => {
      const registry = await window.galata.getPlugin('@jupyterlab/apputils-extension:settings');
      await (registry as any).set('green-assist:plugin', 'refactorOptions', {
        'grad-accumulation': { steps: 16 }
      });
    });
    const sidebar = await openNotebook(page, tmpPath, 'worse.ipynb');
    await page.notebook.runCell(0);
    await page.notebook.runCell(1);
    await expect(latestTrainRun(sidebar)).toBeVisible({ timeout: 60000 });
    const before = await trainCell(page);

    const dialog = await runCommandOnTrainCell(page, 'green-assist:refactor-grad-accumulation');
    await expect(dialog).toContainText('slightly longer time and energy');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    expect((await trainCell(page)).source).toContain('accumulation_steps = 16');
    await page.notebook.runCell(1);

    const verdict = latestTrainRun(sidebar).locator('.jp-GreenAssist-verdict');
    await expect(verdict).toHaveAttribute('data-verdict', 'worse', { timeout: 60000 });
    await expect(verdict).toContainText(
      /\+\d+% energy \(.+ → .+\) after Accumulate gradients over micro-batches: worse/
    );
    await expect(verdict.getByRole('alert')).toBeVisible();
    const footer = page.locator('.jp-Notebook .jp-Cell').nth(1).locator('.jp-GreenAssist-footerVerdict');
    await expect(footer.getByRole('button', { name: /Undo fix/ })).toBeVisible();
    await page.screenshot({ path: screenshotPath('verdict.png') });

    // Keyboard: focus the button and press Enter.
    const undo = verdict.getByRole('button', { name: /Undo fix/ });
    await undo.focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await trainCell(page)).source).toBe(before.source);
    expect((await trainCell(page)).ours).toBeNull();
    await expect(sidebar.getByRole('button', { name: /Undo fix/ })).toHaveCount(0);
    await expect(footer.getByRole('button', { name: /Undo fix/ })).toHaveCount(0);

    await page.evaluate(async () => {
      const registry = await window.galata.getPlugin('@jupyterlab/apputils-extension:settings');
      await (registry as any).set('green-assist:plugin', 'refactorOptions', {});
    });
  });
});
