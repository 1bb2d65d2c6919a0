/**
 * The core of the extension: one session per open notebook or Python file, the
 * one in focus followed by the sidebar model, and the settings pushed to each.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { showErrorMessage } from '@jupyterlab/apputils';
import { IDocumentWidget } from '@jupyterlab/docregistry';
import { FileEditor, IEditorTracker } from '@jupyterlab/fileeditor';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ISignal, Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import { isPythonFile } from './documents';
import { trans } from './i18n';
import { configureMessage } from './protocol';
import { exportReport } from './report';
import { EditorSession, IFollowed, NotebookSession } from './sessions';
import { analysisSettings, IGreenSettings, readSettings } from './settings';
import { SidebarModel } from './sidebar';
import { IGreenAssist } from './tokens';

export class GreenAssist implements IGreenAssist {
  constructor(
    private _app: JupyterFrontEnd,
    private _notebooks: INotebookTracker,
    editors: IEditorTracker | null,
    private _pluginSettings: ISettingRegistry.ISettings | null
  ) {
    this._settings = readSettings(_pluginSettings);
    _notebooks.widgetAdded.connect((_sender, panel) => this._addNotebook(panel));
    editors?.widgetAdded.connect((_sender, widget) => this._addEditor(widget));
    // Follow the document in focus; other widgets (launcher, terminal) keep the last one.
    _app.shell.currentChanged?.connect(this._followCurrent, this);
    _notebooks.currentChanged.connect(this._followCurrent, this);
    editors?.currentChanged.connect(this._followCurrent, this);
    _pluginSettings?.changed.connect(this._settingsChanged, this);
  }

  readonly model = new SidebarModel();

  get settings(): IGreenSettings {
    return this._settings;
  }

  get notebooks(): NotebookSession[] {
    return [...this._sessions.values()].filter((s): s is NotebookSession => s instanceof NotebookSession);
  }

  get notebookAdded(): ISignal<this, NotebookSession> {
    return this._notebookAdded;
  }

  setAuto(enabled: boolean): void {
    this.model.energy?.setAuto(enabled, this._settings.countFlops);
  }

  async exportReport(options: { anonymize?: boolean } = {}): Promise<void> {
    const followed = this.model.followed;
    if (!(followed instanceof NotebookSession)) {
      return;
    }
    try {
      const path = await exportReport(followed, options.anonymize ?? false);
      await this._app.commands
        .execute('docmanager:open', { path, factory: 'HTML Viewer' })
        .catch(() => this._app.commands.execute('docmanager:open', { path }));
    } catch (reason) {
      await showErrorMessage(trans.__('Export report'), (reason as Error).message ?? String(reason));
    }
  }

  private _addNotebook(panel: NotebookPanel): void {
    const session = new NotebookSession(panel, analysisSettings(this._settings));
    // Once per connection: the kernel answers with its state, so configuring on every
    // state would make the two message each other in a loop.
    session.energy.connected.connect(() => this._configure(session));
    session.energy.stateReceived.connect((_energy, state) => {
      // A fresh kernel session starts in the mode chosen in the settings.
      const wanted = this._settings.autoProfile;
      if (state.totals.cells === 0 && !state.running && state.auto.enabled !== wanted) {
        session.energy.setAuto(wanted, this._settings.countFlops);
      }
    });
    this._track(panel, session);
    this._notebookAdded.emit(session);
  }

  private _addEditor(widget: IDocumentWidget<FileEditor>): void {
    if (isPythonFile(widget.context.path)) {
      this._track(widget, new EditorSession(widget, analysisSettings(this._settings)));
    }
  }

  private _track(widget: Widget, session: IFollowed): void {
    this._sessions.set(widget, session);
    widget.disposed.connect(() => {
      this._sessions.delete(widget);
      session.dispose();
      if (this.model.followed === session) {
        this.model.follow(null);
      }
    });
    this._followCurrent();
  }

  private _followCurrent(): void {
    const current = this._app.shell.currentWidget;
    const session = current ? this._sessions.get(current) : undefined;
    if (session) {
      this.model.follow(session);
    } else if (!this.model.followed && this._notebooks.currentWidget) {
      this.model.follow(this._sessions.get(this._notebooks.currentWidget) ?? null);
    }
  }

  private _configure(session: NotebookSession): void {
    session.bridge.send(configureMessage(this._settings));
  }

  private _settingsChanged(): void {
    this._settings = readSettings(this._pluginSettings);
    for (const session of this._sessions.values()) {
      session.findings.settings = analysisSettings(this._settings);
    }
    this.notebooks.forEach(session => this._configure(session));
  }

  private _settings: IGreenSettings;
  private _sessions = new Map<Widget, IFollowed>();
  private _notebookAdded = new Signal<this, NotebookSession>(this);
}
