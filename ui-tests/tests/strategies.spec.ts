import { expect, test } from '@jupyterlab/galata';
import { openSidebar } from './helpers';

// The green strategies in the lab: GA116 → Fix in the sidebar, and the refactor commands
// (registered from the server's list) with options from the extension's settings.
test.use({ kernels: null, sessions: null, viewport: { width: 1280, height: 800 } });

const SOURCE = [
  'import math',
  '',
  'import torch',
  'import torch.nn.functional as F',
  'from torch.utils.data import DataLoader',
  '',
  '',
  'def attention(q, k, v):',
  '    att = (q @ k.transpose(-2, -1)) / math.sqrt(q.size(-1))',
  '    att = F.softmax(att, dim=-1)',
  '    return att @ v',
  '',
  '',
  'loader = DataLoader(dataset, batch_size=4096)',
  'model = torch.nn.Linear(16, 4)',
  'optimizer = torch.optim.SGD(model.parameters(), lr=0.1)',
  'for x, y in loader:',
  '    optimizer.zero_grad()',
  '    loss = F.cross_entropy(model(x), y)',
  '    loss.backward()',
  '    optimizer.step()',
  ''
].join('\n');

test('GA116 Fix uses scaled_dot_product_attention; commands take their options from the settings', async ({
  page,
  tmpPath
}) => {
  await page.contents.uploadContent(SOURCE, 'text', `${tmpPath}/model.py`);
  await page.filebrowser.open(`${tmpPath}/model.py`);
  const sidebar = await openSidebar(page);
  const finding = sidebar.locator('.jp-GreenAssist-finding[data-code="GA116"]');
  await expect(finding).toBeVisible({ timeout: 30000 });

  await finding.getByRole('button', { name: 'Fix' }).click();
  const dialog = page.locator('.jp-Dialog');
  await expect(dialog).toContainText('F.scaled_dot_product_attention(q, k, v');
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(finding).toHaveCount(0, { timeout: 30000 });

  // The refactor commands come from the server's list; their options from the settings.
  await page.evaluate(async () => {
    const registry = await window.galata.getPlugin('@jupyterlab/apputils-extension:settings');
    await (registry as any).set('green-assist:plugin', 'refactorOptions', {
      'grad-accumulation': { steps: 8 }
    });
  });
  await page.evaluate(() => {
    void window.jupyterapp.commands.execute('green-assist:refactor-grad-accumulation');
  });
  await expect(dialog).toContainText('accumulation_steps = 8');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await page.evaluate(() => {
    void window.jupyterapp.commands.execute('green-assist:refactor-prune');
  });
  await expect(dialog).toContainText('prune.l1_unstructured');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});
