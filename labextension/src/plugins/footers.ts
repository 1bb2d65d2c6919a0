/** A one-line energy footer under each profiled cell of every notebook. */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';

import { CellFooters } from '../cellFooters';
import { NotebookSession } from '../sessions';
import { IGreenAssist } from '../tokens';

export const footersPlugin: JupyterFrontEndPlugin<void> = {
  id: 'green-assist:cell-footers',
  description: "Energy, CO2e and duration of each cell's last profiled run, under the cell.",
  autoStart: true,
  requires: [IGreenAssist],
  activate: (_app: JupyterFrontEnd, green: IGreenAssist) => {
    const attach = (session: NotebookSession) => {
      const footers = new CellFooters(session.panel, session.energy, session.fixes);
      session.panel.disposed.connect(() => footers.dispose());
    };
    green.notebooks.forEach(attach);
    green.notebookAdded.connect((_sender, session) => attach(session));
  }
};
