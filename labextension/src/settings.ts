/**
 * The extension's settings: JupyterLab's settings registry fills in the defaults of
 * schema/plugin.json; without a registry, the same defaults (generated from it).
 */
import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { IAnalysisSettings } from './findings';
import { IGreenSettings, SETTING_DEFAULTS } from './generated/settings';

export type { IGreenSettings } from './generated/settings';

export function readSettings(settings: ISettingRegistry.ISettings | null): IGreenSettings {
  const composite = (settings?.composite ?? {}) as Partial<IGreenSettings>;
  return { ...SETTING_DEFAULTS, ...composite };
}

export function analysisSettings(settings: IGreenSettings): IAnalysisSettings {
  return {
    select: settings.select,
    ignore: settings.ignore,
    delayMs: settings.analysisDelayMs,
    refactorOptions: settings.refactorOptions
  };
}
