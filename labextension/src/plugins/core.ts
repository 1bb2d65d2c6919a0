/** The core plugin: loads the settings and follows notebooks and Python files. */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { IEditorTracker } from '@jupyterlab/fileeditor';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

import { GreenAssist } from '../greenAssist';
import { setTranslator } from '../i18n';
import { IGreenAssist } from '../tokens';

// The settings schema (schema/plugin.json) belongs to this plugin id.
export const CORE_PLUGIN_ID = 'green-assist:plugin';

export const corePlugin: JupyterFrontEndPlugin<IGreenAssist> = {
  id: CORE_PLUGIN_ID,
  description: 'Energy and carbon cost of ML code, with one-click fixes.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [IEditorTracker, ISettingRegistry, ITranslator],
  provides: IGreenAssist,
  activate: async (
    app: JupyterFrontEnd,
    notebooks: INotebookTracker,
    editors: IEditorTracker | null,
    registry: ISettingRegistry | null,
    translator: ITranslator | null
  ): Promise<IGreenAssist> => {
    setTranslator(translator);
    let settings: ISettingRegistry.ISettings | null = null;
    if (registry) {
      try {
        settings = await registry.load(CORE_PLUGIN_ID);
      } catch (reason) {
        console.warn('green_assist: settings could not be loaded; using defaults.', reason);
      }
    }
    return new GreenAssist(app, notebooks, editors, settings);
  }
};
