/** The right-hand "Green Assist" sidebar and the command that opens it. */
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';

import { leafIcon } from '../icons';
import { GreenAssistSidebar } from '../sidebar';
import { CommandIDs, IGreenAssist } from '../tokens';

export const sidebarPlugin: JupyterFrontEndPlugin<void> = {
  id: 'green-assist:sidebar',
  description: 'The Green Assist sidebar: kernel link, live energy, per-cell costs and findings.',
  autoStart: true,
  requires: [IGreenAssist],
  optional: [ILayoutRestorer, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    green: IGreenAssist,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null
  ) => {
    const sidebar = new GreenAssistSidebar(green.model, {
      toggleAuto: enabled => green.setAuto(enabled),
      exportReport: () => void green.exportReport()
    });
    app.shell.add(sidebar, 'right', { rank: 900 });
    restorer?.add(sidebar, sidebar.id);
    app.commands.addCommand(CommandIDs.openSidebar, {
      label: 'Green Assist: Open Sidebar',
      caption: 'Show energy use and findings for the notebook in focus',
      icon: leafIcon,
      execute: () => app.shell.activateById(sidebar.id)
    });
    palette?.addItem({ command: CommandIDs.openSidebar, category: 'Green Assist' });
  }
};
