/**
 * Turning a finding (or a refactor command) into a previewable change: the new
 * source, a unified diff, notes and the saving expected on the kernel's hardware.
 * Applying goes through the document's shared model, so undo in the cell or editor
 * restores the old code; in a notebook each changed cell keeps which fix changed it
 * (appliedFixes.ts), so that its next run can say what the fix did.
 */
import { createTwoFilesPatch } from 'diff';

import { IEdit, IExpectedEffect, IFinding, IRefactorContext, listRefactors, refactor } from './api';
import { ICellChange, ICodeDocument } from './documents';
import { trans } from './i18n';

export interface IChangePlan {
  title: string;
  diff: string;
  notes: string[];
  /** What the change is expected to do (an estimate), or null. */
  expected: IExpectedEffect | null;
  /** Whether `expected` is for the kernel's machine (else: wherever the code runs). */
  expectedHere: boolean;
  /** Apply to the document (undoable there). */
  apply(): void;
}

const NO_CONTEXT: IRefactorContext = { hardware: null, profile: null };

/** A change that cannot be made, with the reason in the user's terms. */
export class RefusedChange extends Error {}

/**
 * Plan the fix of one finding: its own edits where it has them, else the
 * refactor that answers its rule (named by the analyze endpoint).
 */
export async function planFix(
  document: ICodeDocument,
  finding: IFinding,
  refactorName: string | null,
  refactorOptions: Record<string, Record<string, unknown>> = {},
  context: IRefactorContext = NO_CONTEXT
): Promise<IChangePlan> {
  if (finding.fix_applicable && finding.edits.length > 0) {
    return planEdits(document, finding);
  }
  const name = refactorName;
  if (!name) {
    throw new RefusedChange(
      finding.fix
        ? trans.__('%1 is fixed by hand: %2.', finding.code, finding.fix)
        : trans.__('%1 has no automatic fix.', finding.code)
    );
  }
  return planRefactor(document, name, finding.cell, refactorOptions[name] ?? {}, context);
}

/** Plan a named refactor on the whole document or one cell. */
export async function planRefactor(
  document: ICodeDocument,
  name: string,
  cell: number | null,
  options: Record<string, unknown> = {},
  context: IRefactorContext = NO_CONTEXT
): Promise<IChangePlan> {
  const snapshot = document.snapshot();
  const response = await refactor(name, document.path, snapshot, cell, options, context);
  if (response.status === 'refused') {
    throw new RefusedChange(response.reason ?? trans.__('The %1 refactor does not apply here.', name));
  }
  if (response.status === 'error') {
    const first = response.errors[0];
    throw new RefusedChange(
      trans.__('The code does not parse, so it cannot be refactored: %1', first?.message ?? trans.__('syntax error'))
    );
  }
  if (response.status === 'unchanged') {
    throw new RefusedChange(
      response.notes.join(' ') || trans.__('Nothing to change: the code already does what %1 would.', name)
    );
  }
  const cells = response.cells ?? [];
  const text = response.text;
  const fix = { refactor: name, title: await refactorTitle(name) };
  return {
    title: `${name} — ${document.path}`,
    diff: response.diff,
    notes: response.notes,
    expected: response.expected ?? null,
    expectedHere: context.hardware !== null,
    apply: () => {
      if (document.kind === 'notebook') {
        document.replaceCells(
          cells.map(c => ({ index: c.index, id: c.id, source: c.source })),
          fix
        );
      } else if (text !== undefined) {
        document.replaceText(text);
      }
    }
  };
}

/** "Convert to mixed precision", as the server's list of refactors calls it. */
async function refactorTitle(name: string): Promise<string> {
  try {
    return (await listRefactors())[name]?.title ?? name;
  } catch {
    return name;
  }
}

function planEdits(document: ICodeDocument, finding: IFinding): IChangePlan {
  const snapshot = document.snapshot();
  const label = `${finding.code}: ${finding.fix ?? finding.name}`;
  if ('text' in snapshot) {
    const after = applyEdits(snapshot.text, finding.edits);
    return {
      title: label,
      diff: createTwoFilesPatch(document.path, document.path, snapshot.text, after),
      notes: finding.fix_safe ? [] : [trans.__('This fix may change results (see the rule).')],
      expected: null,
      expectedHere: false,
      apply: () => document.replaceText(after)
    };
  }
  const byCell = new Map<number, IEdit[]>();
  for (const edit of finding.edits) {
    const index = edit.cell ?? finding.cell ?? 0;
    byCell.set(index, [...(byCell.get(index) ?? []), edit]);
  }
  const changes: ICellChange[] = [];
  let diff = '';
  for (const [index, edits] of byCell) {
    const cell = snapshot.cells[index];
    if (!cell) {
      throw new RefusedChange(trans.__('The notebook changed since it was analysed; try again.'));
    }
    const after = applyEdits(cell.source, edits);
    changes.push({ index, id: cell.id ?? null, source: after });
    const name = `${document.path} [cell ${index + 1}]`;
    diff += createTwoFilesPatch(name, name, cell.source, after);
  }
  return {
    title: label,
    diff,
    notes: finding.fix_safe ? [] : [trans.__('This fix may change results (see the rule).')],
    expected: null,
    expectedHere: false,
    // A rule's own edits are named by its code and what they do: "GA104: use set_to_none".
    apply: () => document.replaceCells(changes, { refactor: finding.code, title: label })
  };
}

/**
 * Apply edits whose positions are 1-based lines and 1-based columns counted in
 * code points, end exclusive (libcst's convention), to a JavaScript string.
 */
export function applyEdits(source: string, edits: IEdit[]): string {
  const lines = source.split('\n');
  const offset = (line: number, column: number): number => {
    let at = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) {
      at += lines[i].length + 1;
    }
    const text = lines[line - 1] ?? '';
    return (
      at +
      Array.from(text)
        .slice(0, column - 1)
        .join('').length
    );
  };
  // Apply from the end so earlier offsets stay valid.
  const sorted = [...edits].sort((a, b) => b.line - a.line || b.column - a.column);
  let result = source;
  for (const edit of sorted) {
    const start = offset(edit.line, edit.column);
    const end = offset(edit.end_line, edit.end_column);
    result = result.slice(0, start) + edit.text + result.slice(end);
  }
  return result;
}
