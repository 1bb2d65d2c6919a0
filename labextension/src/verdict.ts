/**
 * What a run of a cell says about the change before it: the kernel links each run to
 * the previous run of the same cell (`record.previous_run`) and judges the change within
 * the measured run-to-run spread (`record.change`, green_assist/profiler/verdict.py).
 * Worded as the report words it (green_assist/report/model.py, fix_summary):
 * "-38% energy (23.2 J → 14.4 J) after Convert to mixed precision: saved".
 */
import { approx, formatDuration, formatEnergy } from './format';
import { trans } from './i18n';
import { IAppliedRefactor, IProfileRecord, IRunChange } from './protocol';

export interface IVerdict {
  /** The fix from the sidebar that came before this run; null: the code was edited by hand. */
  fix: IAppliedRefactor | null;
  verdict: IRunChange['verdict'];
  /** The change and the verdict in words. */
  text: string;
}

/** "-38% energy (≈23.2 J → ≈14.4 J)": the change on its basis, estimates marked. */
export function changeFigure(record: IProfileRecord): string {
  const change = record.change;
  const previous = record.previous_run;
  if (!change || !previous) {
    return trans.__('no figure');
  }
  const energy = change.basis === 'energy';
  const pct = energy ? change.energy_pct : change.duration_pct;
  if (pct === null || !isFinite(pct)) {
    return trans.__('no figure');
  }
  const mark = approx(record.energy_method);
  const before = energy ? mark + formatEnergy(previous.energy_j) : formatDuration(previous.duration_s);
  const after = energy ? mark + formatEnergy(record.energy_j) : formatDuration(record.duration_s);
  const signed = `${pct >= 0 ? '+' : ''}${pct.toFixed(0)}%`;
  return energy
    ? trans.__('%1 energy (%2 → %3)', signed, before, after)
    : trans.__('%1 time (%2 → %3)', signed, before, after);
}

/** "saved", "no clear change (within the ±10% run-to-run spread)", ... */
export function verdictWords(change: IRunChange, fix: boolean): string {
  const noise = `±${change.noise_pct.toFixed(0)}%`;
  switch (change.verdict) {
    case 'saved':
      return trans.__('saved');
    case 'worse':
      return fix
        ? trans.__('worse: beyond the %1 run-to-run spread; undo the fix', noise)
        : trans.__('worse: beyond the %1 run-to-run spread', noise);
    case 'no clear change':
      return trans.__('no clear change (within the %1 run-to-run spread)', noise);
    default:
      return trans.__('not judged (a short or failed run)');
  }
}

/**
 * The verdict of a run: after a fix from the sidebar, or after an edit by hand; null for
 * a first run or a re-run of the same code (the spread, not a change).
 */
export function verdictOf(record: IProfileRecord): IVerdict | null {
  const previous = record.previous_run;
  const change = record.change;
  if (!previous || !change) {
    return null;
  }
  const fix = previous.refactor;
  if (!fix && !previous.source_changed) {
    return null;
  }
  const figure = changeFigure(record);
  const words = verdictWords(change, fix !== null);
  const text = fix
    ? trans.__('%1 after %2: %3', figure, fix.title, words)
    : trans.__('%1 after an edit: %2', figure, words);
  return { fix, verdict: change.verdict, text };
}
