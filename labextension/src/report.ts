/**
 * "Export report": ask the server to write the session's report (HTML) next to
 * the notebook, and return its path so the caller can open it.
 */
import { IReportResponse, requestAPI } from './api';
import { trans } from './i18n';
import { NotebookSession } from './sessions';

export async function exportReport(session: NotebookSession, anonymize = false): Promise<string> {
  const state = session.energy.state;
  if (!state) {
    throw new Error(trans.__('The kernel has not reported a session yet: run a profiled cell first.'));
  }
  const notebookPath = session.panel.context.path;
  const folder = notebookPath.includes('/') ? notebookPath.slice(0, notebookPath.lastIndexOf('/')) : '';
  const stem =
    notebookPath
      .split('/')
      .pop()
      ?.replace(/\.ipynb$/, '') ?? 'session';
  const output = `${folder ? `${folder}/` : ''}${stem}-energy-report.html`;
  const response = await requestAPI<IReportResponse>('report', {
    method: 'POST',
    // The kernel's log path is absolute; the server accepts it when it lies
    // inside its root and refuses (403) anything outside.
    body: JSON.stringify({ sessions: [state.log_path], output, overwrite: true, anonymize })
  });
  return response.path;
}
