import * as fs from 'fs';
import * as path from 'path';

import { cellLabel } from '../src/format';
import type { IProfileRecord, IRunChange } from '../src/protocol';
import { verdictOf } from '../src/verdict';

/** As read: the sidebar may join a number and its unit with a no-break space. */
const read = (text: string | undefined) => text?.replace(/\u00a0/g, ' ');

/** Tables the Python side is held to as well (tests/test_wording.py). */
function cases<T>(name: string): T[] {
  const file = path.resolve(__dirname, '../../tests/fixtures/wording', name);
  return JSON.parse(fs.readFileSync(file, 'utf-8')).cases;
}

interface ILabelCase {
  index: number | null;
  execution_count: number | null;
  label: string;
}

interface IVerdictCase {
  title: string;
  before: { energy_j: number | null; duration_s: number };
  after: { energy_j: number | null; duration_s: number };
  change: IRunChange;
  text: string;
}

/** A run after another one of the same cell, as the kernel sends it (only what verdicts read). */
function run(
  item: Omit<IVerdictCase, 'text'>,
  method = 'counter',
  refactor: string | null = 'mixed-precision'
): IProfileRecord {
  return {
    energy_j: item.after.energy_j,
    duration_s: item.after.duration_s,
    energy_method: method,
    previous_run: {
      execution_count: 3,
      energy_j: item.before.energy_j,
      duration_s: item.before.duration_s,
      flops: null,
      source_changed: true,
      refactor: refactor ? { name: refactor, title: item.title } : null
    },
    change: item.change
  } as unknown as IProfileRecord;
}

describe('the words the sidebar shares with the report', () => {
  it.each(cases<ILabelCase>('cell_labels.json'))('names a cell $label', item => {
    expect(read(cellLabel(item.index, item.execution_count))).toBe(item.label);
  });

  it.each(cases<IVerdictCase>('fix_verdicts.json'))('judges a fix: $text', item => {
    const verdict = verdictOf(run(item));
    expect(read(verdict?.text)).toBe(item.text);
    expect(verdict?.verdict).toBe(item.change.verdict);
    expect(verdict?.fix?.title).toBe(item.title);
  });
});

describe('verdicts in the sidebar', () => {
  const [saved] = cases<IVerdictCase>('fix_verdicts.json');

  it('marks estimated energy as an estimate', () => {
    expect(read(verdictOf(run(saved, 'estimated'))?.text)).toBe(
      '-38% energy (≈23.2 J → ≈14.4 J) after Convert to mixed precision: saved'
    );
  });

  it('says what an edit by hand did, without a fix to undo', () => {
    const verdict = verdictOf(run({ ...saved, change: { ...saved.change, verdict: 'worse' } }, 'counter', null));
    expect(verdict?.fix).toBeNull();
    expect(read(verdict?.text)).toBe(
      '-38% energy (23.2 J → 14.4 J) after an edit: worse: beyond the ±10% run-to-run spread'
    );
  });

  it('has nothing to say about a first run or a re-run of the same code', () => {
    expect(verdictOf({ ...run(saved), previous_run: null, change: null } as IProfileRecord)).toBeNull();
    const same = run(saved, 'counter', null);
    same.previous_run = { ...same.previous_run!, source_changed: false };
    expect(verdictOf(same)).toBeNull();
  });
});
