/**
 * Every string people read goes through JupyterLab's translator, in the
 * `green_assist` domain, so that the extension can be translated: write
 * `trans.__('Export report')`, `trans._n('%1 cell', '%1 cells', n)`. The core plugin
 * hands the translator over once (JupyterLab reloads the page when the language
 * changes); until then, and in tests, strings stay as written.
 */
import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';

export const DOMAIN = 'green_assist';

let bundle: TranslationBundle = nullTranslator.load(DOMAIN);

export function setTranslator(translator: ITranslator | null | undefined): void {
  bundle = (translator ?? nullTranslator).load(DOMAIN);
}

export const trans = {
  __: (msgid: string, ...args: unknown[]): string => bundle.__(msgid, ...args),
  _n: (singular: string, plural: string, n: number, ...args: unknown[]): string =>
    bundle._n(singular, plural, n, ...args),
  _p: (context: string, msgid: string, ...args: unknown[]): string => bundle._p(context, msgid, ...args)
};
