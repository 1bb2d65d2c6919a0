/** Commands (palette and cell context menu): auto-profiling, export, refactors. */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, showErrorMessage } from '@jupyterlab/apputils';

import { previewAndApply } from '../changeDialog';
import { planRefactor, RefusedChange } from '../fixes';
import { leafIcon } from '../icons';
import { EditorSession, NotebookSession } from '../sessions';
import { CommandIDs, IGreenAssist } from '../tokens';

/** Refactor commands: id suffix, server refactor name, label. */
const REFACTOR_COMMANDS: [string, string, string][] = [
  ['mixed-precision', 'mixed-precision', 'Convert to mixed precision'],
  ['quantize', 'quantize', 'Quantize model for inference'],
  ['distill', 'distill', 'Distill into a smaller student'],
  ['pretrained', 'pretrained', 'Use pretrained weights']
];

export const commandsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'green-assist:commands',
  description: 'Green Assist commands: profile every cell, export the report, refactors.',
  autoStart: true,
  requires: [IGreenAssist],
  optional: [ICommandPalette],
  activate: (app: JupyterFrontEnd, green: IGreenAssist, palette: ICommandPalette | null) => {
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
      label: 'Green Assist: Profile Every Cell',
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
      label: 'Green Assist: Export Report',
      isEnabled: () => (model.energy?.state?.totals.cells ?? 0) > 0,
      execute: () => green.exportReport()
    });
    palette?.addItem({ command: CommandIDs.toggleAuto, category: 'Green Assist' });
    palette?.addItem({ command: CommandIDs.exportReport, category: 'Green Assist' });

    for (const [suffix, name, label] of REFACTOR_COMMANDS) {
      const command = `green-assist:refactor-${suffix}`;
      app.commands.addCommand(command, {
        label,
        caption: `Green Assist: ${label} (preview first)`,
        icon: leafIcon,
        isEnabled: () => activeDocument() !== null,
        execute: async () => {
          const target = activeDocument();
          if (!target) {
            return;
          }
          try {
            const plan = await planRefactor(target.document, name, target.cell);
            if (await previewAndApply(plan)) {
              model.followed?.findings.refresh();
            }
          } catch (reason) {
            const message =
              reason instanceof RefusedChange
                ? reason.message
                : `The refactor could not be prepared: ${(reason as Error).message ?? String(reason)}`;
            await showErrorMessage(label, message);
          }
        }
      });
      palette?.addItem({ command, category: 'Green Assist' });
    }
  }
};
