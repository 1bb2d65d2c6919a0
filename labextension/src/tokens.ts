/**
 * What the core plugin shares with the others (sidebar, status bar, commands,
 * cell footers): the document in focus, the settings and the notebook sessions.
 */
import { ISignal } from '@lumino/signaling';
import { Token } from '@lumino/coreutils';

import { NotebookSession } from './sessions';
import { IGreenSettings } from './settings';
import { SidebarModel } from './sidebar';

export const CommandIDs = {
  openSidebar: 'green-assist:open-sidebar',
  toggleAuto: 'green-assist:toggle-auto-profile',
  exportReport: 'green-assist:export-report'
} as const;

/** The command that runs the refactor called `name` (e.g. green-assist:refactor-quantize). */
export function refactorCommand(name: string): string {
  return `green-assist:refactor-${name}`;
}

export interface IGreenAssist {
  /** The notebook or Python file in focus, and its models. */
  readonly model: SidebarModel;
  /** The current settings (schema/plugin.json merged with the user's). */
  readonly settings: IGreenSettings;
  /** Every open notebook's session. */
  readonly notebooks: readonly NotebookSession[];
  /** A notebook was opened (its session is new). */
  readonly notebookAdded: ISignal<IGreenAssist, NotebookSession>;
  /** Turn automatic per-cell profiling on or off in the followed notebook's kernel. */
  setAuto(enabled: boolean): void;
  /** Write the followed notebook's energy report and open it (errors shown in a dialog);
   * `anonymize` leaves out the host name and absolute paths. */
  exportReport(options?: { anonymize?: boolean }): Promise<void>;
}

export const IGreenAssist = new Token<IGreenAssist>(
  'green-assist:IGreenAssist',
  'The document in focus, settings and notebook sessions of Green Assist.'
);
