/** The right-hand "Green Assist" sidebar and the command that opens it. */
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';

import { trans } from '../i18n';
import { leafIcon } from '../icons';
import { setRenderMime } from '../markdown';
import { GreenAssistSidebar } from '../sidebar';
import { CommandIDs, IGreenAssist } from '../tokens';

export const sidebarPlugin: JupyterFrontEndPlugin<void> = {
  id: 'green-assist:sidebar',
  description: 'The Green Assist sidebar: kernel link, live energy, per-cell costs and findings.',
  autoStart: true,
  requires: [IGreenAssist],
  optional: [ILayoutRestorer, ICommandPalette, IRenderMimeRegistry],
  activate: (
    app: JupyterFrontEnd,
    green: IGreenAssist,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    rendermime: IRenderMimeRegistry | null
  ) => {
    // Rule pages ("Why?") and the notes of a change are Markdown, rendered as JupyterLab does.
    setRenderMime(rendermime);
    const sidebar = new GreenAssistSidebar(green.model, {
      toggleAuto: enabled => green.setAuto(enabled),
      exportReport: options => void green.exportReport(options)
    });
    app.shell.add(sidebar, 'right', { rank: 900 });
    restorer?.add(sidebar, sidebar.id);
    app.commands.addCommand(CommandIDs.openSidebar, {
      label: trans.__('Green Assist: Open Sidebar'),
      caption: trans.__('Show energy use and findings for the notebook in focus'),
      icon: leafIcon,
      execute: () => app.shell.activateById(sidebar.id)
    });
    palette?.addItem({ command: CommandIDs.openSidebar, category: trans.__('Green Assist') });
  }
};
