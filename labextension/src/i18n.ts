/**
 * Every string people read goes through JupyterLab's translator, in the
 * `green_assist` domain, so that the extension can be translated: write
 * `trans.__('Export report')`, `trans._n('%1 cell', '%1 cells', n)`. The core plugin
 * hands the translator over once (JupyterLab reloads the page when the language
 * changes); until then, and in unit tests, strings stay as written, with `%1`, `%2`...
 * filled in as JupyterLab's null translator does. Only types come from
 * @jupyterlab/translation here, so that this module (and what formats with it) loads in
 * Node without JupyterLab's ES modules.
 */
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';

export const DOMAIN = 'green_assist';

/** Gettext's placeholders: %1, %2... are the arguments, %% is a literal %. */
function fill(text: string, args: unknown[]): string {
  return text
    .replace(/%%/g, '%% ')
    .replace(/%(\d+)/g, (_match, n: string) => String(args[Number(n) - 1]))
    .replace(/%% /g, '%');
}

const asWritten = {
  __: (msgid: string, ...args: unknown[]): string => fill(msgid, args),
  _n: (singular: string, plural: string, n: number, ...args: unknown[]): string =>
    fill(n === 1 ? singular : plural, [n, ...args]),
  _p: (_context: string, msgid: string, ...args: unknown[]): string => fill(msgid, args)
};

let bundle: Pick<TranslationBundle, '__' | '_n' | '_p'> = asWritten;

export function setTranslator(translator: ITranslator | null | undefined): void {
  bundle = translator ? translator.load(DOMAIN) : asWritten;
}

export const trans = {
  __: (msgid: string, ...args: unknown[]): string => bundle.__(msgid, ...args),
  _n: (singular: string, plural: string, n: number, ...args: unknown[]): string =>
    bundle._n(singular, plural, n, ...args),
  _p: (context: string, msgid: string, ...args: unknown[]): string => bundle._p(context, msgid, ...args)
};
