/**
 * Commands (palette and cell context menu): auto-profiling, export, and one command
 * per refactor the server lists (GET /green-assist/refactor), titled as it says.
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, showErrorMessage } from '@jupyterlab/apputils';

import { IRefactorInfo, listRefactors } from '../api';
import { previewAndApply } from '../changeDialog';
import { planRefactor, RefusedChange } from '../fixes';
import { trans } from '../i18n';
import { leafIcon } from '../icons';
import { EditorSession, NotebookSession } from '../sessions';
import { CommandIDs, IGreenAssist, refactorCommand } from '../tokens';

// Where refactor commands appear in the cell context menu (after JupyterLab's own items).
const CONTEXT_SELECTOR = '.jp-Notebook .jp-CodeCell';
const CONTEXT_RANK = 80;

export const commandsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'green-assist:commands',
  description: 'Green Assist commands: profile every cell, export the report, refactors.',
  autoStart: true,
  requires: [IGreenAssist],
  optional: [ICommandPalette],
  activate: async (app: JupyterFrontEnd, green: IGreenAssist, palette: ICommandPalette | null) => {
    const model = green.model;
    const activeDocument = () => {
      const followed = model.followed;
      if (followed instanceof NotebookSession) {
        return { document: followed.document, cell: followed.panel.content.activeCellIndex };
      }
      if (followed instanceof EditorSession) {
        return { document: followed.document, cell: null };
      }
      return null;
    };

    app.commands.addCommand(CommandIDs.toggleAuto, {
      label: trans.__('Green Assist: Profile Every Cell'),
      isToggled: () => model.energy?.state?.auto.enabled ?? false,
      isEnabled: () => !!model.energy?.state,
      execute: () => {
        const state = model.energy?.state;
        if (state) {
          green.setAuto(!state.auto.enabled);
        }
      }
    });
    app.commands.addCommand(CommandIDs.exportReport, {
      label: trans.__('Green Assist: Export Report'),
      isEnabled: () => (model.energy?.state?.totals.cells ?? 0) > 0,
      execute: () => green.exportReport()
    });
    const category = trans.__('Green Assist');
    palette?.addItem({ command: CommandIDs.toggleAuto, category });
    palette?.addItem({ command: CommandIDs.exportReport, category });

    let refactors: IRefactorInfo[] = [];
    try {
      refactors = Object.values(await listRefactors());
    } catch (reason) {
      console.warn('green_assist: the server did not list its refactors; no refactor commands.', reason);
    }
    refactors.forEach(({ name, title: label }, index) => {
      const command = refactorCommand(name);
      app.commands.addCommand(command, {
        label,
        caption: trans.__('Green Assist: %1 (preview first)', label),
        icon: leafIcon,
        isEnabled: () => activeDocument() !== null,
        execute: async () => {
          const target = activeDocument();
          if (!target) {
            return;
          }
          try {
            const options = green.settings.refactorOptions[name] ?? {};
            const context = model.followed?.findings.refactorContext(target.cell);
            const plan = await planRefactor(target.document, name, target.cell, options, context);
            if (await previewAndApply(plan)) {
              model.followed?.findings.refresh();
            }
          } catch (reason) {
            const message =
              reason instanceof RefusedChange
                ? reason.message
                : trans.__('The refactor could not be prepared: %1', (reason as Error).message ?? String(reason));
            await showErrorMessage(label, message);
          }
        }
      });
      palette?.addItem({ command, category });
      app.contextMenu.addItem({ command, selector: CONTEXT_SELECTOR, rank: CONTEXT_RANK + index });
    });
  }
};
