/** The status-bar item: live watts or session energy of the kernel in focus. */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { IStatusBar } from '@jupyterlab/statusbar';

import { SIDEBAR_ID } from '../sidebar';
import { GreenStatusItem } from '../statusItem';
import { IGreenAssist } from '../tokens';

const STATUS_PLUGIN_ID = 'green-assist:status-bar';

export const statusBarPlugin: JupyterFrontEndPlugin<void> = {
  id: STATUS_PLUGIN_ID,
  description: 'Live power or session energy of the kernel in focus, in the status bar.',
  autoStart: true,
  requires: [IGreenAssist, IStatusBar],
  activate: (app: JupyterFrontEnd, green: IGreenAssist, statusBar: IStatusBar) => {
    const model = green.model;
    const item = new GreenStatusItem(model, () => app.shell.activateById(SIDEBAR_ID));
    statusBar.registerStatusItem(STATUS_PLUGIN_ID, {
      item,
      align: 'left',
      rank: 4,
      isActive: () => model.energy !== null
    });
    model.changed.connect(() => item.update());
  }
};
