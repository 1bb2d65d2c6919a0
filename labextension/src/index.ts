/**
 * green_assist JupyterLab extension: a right-hand "Green Assist" sidebar that
 * follows the notebook in focus and connects to its kernel.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';

import { leafIcon } from './icons';
import { KernelBridge } from './kernelBridge';
import { GreenAssistSidebar, SidebarModel } from './sidebar';

const PLUGIN_ID = 'green-assist:plugin';

export const CommandIDs = {
  openSidebar: 'green-assist:open-sidebar'
} as const;

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Energy and carbon cost of ML code, with one-click fixes.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null
  ) => {
    const bridges = new WeakMap<NotebookPanel, KernelBridge>();
    const model = new SidebarModel();
    const sidebar = new GreenAssistSidebar(model);
    app.shell.add(sidebar, 'right', { rank: 900 });
    if (restorer) {
      restorer.add(sidebar, sidebar.id);
    }

    tracker.widgetAdded.connect((_sender, panel) => {
      const bridge = new KernelBridge(panel.sessionContext);
      bridges.set(panel, bridge);
      panel.disposed.connect(() => bridge.dispose());
    });

    const followCurrent = () => {
      const panel = tracker.currentWidget;
      model.follow(panel ? bridges.get(panel) ?? null : null, panel?.title ?? null);
    };
    tracker.currentChanged.connect(followCurrent);
    tracker.widgetAdded.connect(followCurrent);
    followCurrent();

    app.commands.addCommand(CommandIDs.openSidebar, {
      label: 'Green Assist: Open Sidebar',
      caption: 'Show energy use and findings for the notebook in focus',
      icon: leafIcon,
      execute: () => app.shell.activateById(sidebar.id)
    });
    if (palette) {
      palette.addItem({ command: CommandIDs.openSidebar, category: 'Green Assist' });
    }
  }
};

export default plugin;
