/**
 * green_assist JupyterLab extension: a right-hand "Green Assist" sidebar that
 * follows the notebook or Python file in focus (kernel link, live energy,
 * per-cell costs, findings with one-click fixes), a status-bar item, energy
 * footers under cells and refactor commands.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, showErrorMessage } from '@jupyterlab/apputils';
import { IDocumentWidget } from '@jupyterlab/docregistry';
import { FileEditor, IEditorTracker } from '@jupyterlab/fileeditor';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { Widget } from '@lumino/widgets';

import { previewAndApply } from './changeDialog';
import { isPythonFile } from './documents';
import { planRefactor, RefusedChange } from './fixes';
import { leafIcon } from './icons';
import { configureMessage } from './protocol';
import { exportReport } from './report';
import { EditorSession, IFollowed, NotebookSession } from './sessions';
import { analysisSettings, IGreenSettings, readSettings } from './settings';
import { GreenAssistSidebar, SidebarModel } from './sidebar';
import { GreenStatusItem } from './statusItem';

const PLUGIN_ID = 'green-assist:plugin';

export const CommandIDs = {
  openSidebar: 'green-assist:open-sidebar',
  toggleAuto: 'green-assist:toggle-auto-profile',
  exportReport: 'green-assist:export-report'
} as const;

/** Refactor commands: id suffix, server refactor name, label. */
const REFACTOR_COMMANDS: [string, string, string][] = [
  ['mixed-precision', 'mixed-precision', 'Convert to mixed precision'],
  ['quantize', 'quantize', 'Quantize model for inference'],
  ['distill', 'distill', 'Distill into a smaller student'],
  ['pretrained', 'pretrained', 'Use pretrained weights']
];

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Energy and carbon cost of ML code, with one-click fixes.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [IEditorTracker, ICommandPalette, ILayoutRestorer, ISettingRegistry, IStatusBar],
  activate: async (
    app: JupyterFrontEnd,
    notebooks: INotebookTracker,
    editors: IEditorTracker | null,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    registry: ISettingRegistry | null,
    statusBar: IStatusBar | null
  ) => {
    let pluginSettings: ISettingRegistry.ISettings | null = null;
    if (registry) {
      try {
        pluginSettings = await registry.load(PLUGIN_ID);
      } catch (reason) {
        console.warn('green_assist: settings could not be loaded; using defaults.', reason);
      }
    }
    let settings: IGreenSettings = readSettings(pluginSettings);

    const sessions = new Map<Widget, IFollowed>();
    const notebookSessions = () =>
      [...sessions.values()].filter((s): s is NotebookSession => s instanceof NotebookSession);

    const model = new SidebarModel();
    const sidebar = new GreenAssistSidebar(model, {
      toggleAuto: enabled => model.energy?.setAuto(enabled, settings.countFlops),
      exportReport: () => void runExport()
    });
    app.shell.add(sidebar, 'right', { rank: 900 });
    restorer?.add(sidebar, sidebar.id);

    const configure = (session: NotebookSession) => {
      session.bridge.send(configureMessage(settings));
    };

    notebooks.widgetAdded.connect((_sender, panel: NotebookPanel) => {
      const session = new NotebookSession(panel, analysisSettings(settings));
      sessions.set(panel, session);
      session.energy.stateReceived.connect((_energy, state) => {
        configure(session);
        // A fresh kernel session starts in the mode chosen in the settings.
        if (state.totals.cells === 0 && !state.running && state.auto.enabled !== settings.autoProfile) {
          session.energy.setAuto(settings.autoProfile, settings.countFlops);
        }
      });
      panel.disposed.connect(() => {
        sessions.delete(panel);
        session.dispose();
        if (model.followed === session) {
          model.follow(null);
        }
      });
      followCurrent();
    });

    editors?.widgetAdded.connect((_sender, widget: IDocumentWidget<FileEditor>) => {
      if (!isPythonFile(widget.context.path)) {
        return;
      }
      const session = new EditorSession(widget, analysisSettings(settings));
      sessions.set(widget, session);
      widget.disposed.connect(() => {
        sessions.delete(widget);
        session.dispose();
        if (model.followed === session) {
          model.follow(null);
        }
      });
      followCurrent();
    });

    // Follow the document in focus; other widgets (launcher, terminal) keep the last one.
    function followCurrent(): void {
      const current = app.shell.currentWidget;
      const session = current ? sessions.get(current) : undefined;
      if (session) {
        model.follow(session);
      } else if (!model.followed && notebooks.currentWidget) {
        model.follow(sessions.get(notebooks.currentWidget) ?? null);
      }
    }
    app.shell.currentChanged?.connect(followCurrent);
    notebooks.currentChanged.connect(followCurrent);
    editors?.currentChanged.connect(followCurrent);

    pluginSettings?.changed.connect(() => {
      settings = readSettings(pluginSettings);
      for (const session of sessions.values()) {
        session.findings.settings = analysisSettings(settings);
      }
      notebookSessions().forEach(configure);
    });

    async function runExport(): Promise<void> {
      const followed = model.followed;
      if (!(followed instanceof NotebookSession)) {
        return;
      }
      try {
        const path = await exportReport(followed);
        await app.commands.execute('docmanager:open', { path, factory: 'HTML Viewer' }).catch(
          () => app.commands.execute('docmanager:open', { path })
        );
      } catch (reason) {
        await showErrorMessage('Export report', (reason as Error).message ?? String(reason));
      }
    }

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

    app.commands.addCommand(CommandIDs.openSidebar, {
      label: 'Green Assist: Open Sidebar',
      caption: 'Show energy use and findings for the notebook in focus',
      icon: leafIcon,
      execute: () => app.shell.activateById(sidebar.id)
    });
    app.commands.addCommand(CommandIDs.toggleAuto, {
      label: 'Green Assist: Profile Every Cell',
      isToggled: () => model.energy?.state?.auto.enabled ?? false,
      isEnabled: () => !!model.energy?.state,
      execute: () => {
        const energy = model.energy;
        if (energy?.state) {
          energy.setAuto(!energy.state.auto.enabled, settings.countFlops);
        }
      }
    });
    app.commands.addCommand(CommandIDs.exportReport, {
      label: 'Green Assist: Export Report',
      isEnabled: () => (model.energy?.state?.totals.cells ?? 0) > 0,
      execute: () => runExport()
    });
    for (const [suffix, name, label] of REFACTOR_COMMANDS) {
      app.commands.addCommand(`green-assist:refactor-${suffix}`, {
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
      palette?.addItem({ command: `green-assist:refactor-${suffix}`, category: 'Green Assist' });
    }
    if (palette) {
      for (const command of Object.values(CommandIDs)) {
        palette.addItem({ command, category: 'Green Assist' });
      }
    }

    if (statusBar) {
      const item = new GreenStatusItem(model, () => app.shell.activateById(sidebar.id));
      statusBar.registerStatusItem(PLUGIN_ID, {
        item,
        align: 'left',
        rank: 4,
        isActive: () => model.energy !== null
      });
      model.changed.connect(() => item.update());
    }
  }
};

export default plugin;
