/** The extension's settings (schema/plugin.json), typed, with their defaults. */
import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { IAnalysisSettings } from './findings';

export interface IGreenSettings {
  region: string;
  carbonIntensity: number | null;
  pue: number;
  sampleIntervalMs: number;
  autoProfile: boolean;
  countFlops: boolean;
  select: string[];
  ignore: string[];
  analysisDelayMs: number;
  /** Options per refactor name, passed to the refactor by its command and by Fix. */
  refactorOptions: Record<string, Record<string, unknown>>;
}

export const DEFAULT_SETTINGS: IGreenSettings = {
  region: '',
  carbonIntensity: null,
  pue: 1.0,
  sampleIntervalMs: 100,
  autoProfile: true,
  countFlops: false,
  select: [],
  ignore: [],
  analysisDelayMs: 600,
  refactorOptions: {}
};

export function readSettings(settings: ISettingRegistry.ISettings | null): IGreenSettings {
  if (!settings) {
    return { ...DEFAULT_SETTINGS };
  }
  const composite = settings.composite as Partial<IGreenSettings>;
  return { ...DEFAULT_SETTINGS, ...composite };
}

export function analysisSettings(settings: IGreenSettings): IAnalysisSettings {
  return {
    select: settings.select,
    ignore: settings.ignore,
    delayMs: settings.analysisDelayMs,
    refactorOptions: settings.refactorOptions
  };
}
