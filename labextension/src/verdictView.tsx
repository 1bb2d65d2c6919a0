/**
 * The verdict of a run, under its row in the cells table and in its cell's footer: what
 * a fix (or an edit) did, measured against the cell's previous run. A fix that made the
 * cell worse gets a warning and "Undo fix", which puts the code from before the fix back
 * (appliedFixes.ts). An edit by hand is shown in a quieter form.
 */
import * as React from 'react';

import { AppliedFixes } from './appliedFixes';
import { trans } from './i18n';
import { IProfileRecord } from './protocol';
import { IVerdict, verdictOf } from './verdict';

/** Undo fix is offered for the latest run of a cell that a fix made worse, while the fix is still there. */
export function canUndoFix(record: IProfileRecord, latest: IProfileRecord | null, fixes: AppliedFixes | null): boolean {
  const fix = record.previous_run?.refactor;
  return (
    !!fix &&
    !!record.cell_id &&
    record === latest &&
    record.change?.verdict === 'worse' &&
    fixes?.fixOf(record.cell_id)?.refactor === fix.name
  );
}

function kindOf(verdict: IVerdict): string {
  return verdict.fix ? 'fix' : 'edit';
}

function undoLabel(verdict: IVerdict, cellName: string): string {
  return trans.__('Undo fix: put the code from before %1 back into %2', verdict.fix?.title ?? '', cellName);
}

/** The verdict's row under a run in the cells table, or nothing. */
export function VerdictRow(props: {
  record: IProfileRecord;
  columns: number;
  cellName: string;
  undo: (() => void) | null;
}): JSX.Element | null {
  const verdict = verdictOf(props.record);
  if (!verdict) {
    return null;
  }
  const worse = verdict.verdict === 'worse';
  return (
    <tr className="jp-GreenAssist-verdict" data-verdict={verdict.verdict ?? 'none'} data-kind={kindOf(verdict)}>
      <td colSpan={props.columns}>
        <span role={worse && verdict.fix ? 'alert' : undefined}>
          {worse && verdict.fix && <span aria-hidden="true">⚠ </span>}
          {verdict.text}
        </span>
        {props.undo && (
          <button
            className="jp-GreenAssist-button jp-GreenAssist-undoFix jp-mod-styled jp-mod-warn"
            aria-label={undoLabel(verdict, props.cellName)}
            title={undoLabel(verdict, props.cellName)}
            onClick={event => {
              event.stopPropagation();
              props.undo?.();
            }}
          >
            {trans.__('Undo fix')}
          </button>
        )}
      </td>
    </tr>
  );
}

/** The verdict's line in a cell's footer (plain DOM: footers are not React widgets). */
export function renderFooterVerdict(
  node: HTMLElement,
  record: IProfileRecord,
  cellName: string,
  undo: (() => void) | null
): void {
  const verdict = verdictOf(record);
  const key = verdict ? `${verdict.text}|${undo !== null}` : '';
  if (node.dataset.key === key) {
    return; // unchanged: keep the button (and the focus on it)
  }
  node.dataset.key = key;
  node.replaceChildren();
  node.hidden = !verdict;
  if (!verdict) {
    return;
  }
  node.dataset.verdict = verdict.verdict ?? 'none';
  node.dataset.kind = kindOf(verdict);
  const text = document.createElement('span');
  text.textContent = (verdict.verdict === 'worse' && verdict.fix ? '⚠ ' : '') + verdict.text;
  node.appendChild(text);
  if (undo) {
    const button = document.createElement('button');
    button.className = 'jp-GreenAssist-button jp-GreenAssist-undoFix jp-mod-styled jp-mod-warn';
    button.textContent = trans.__('Undo fix');
    button.setAttribute('aria-label', undoLabel(verdict, cellName));
    button.title = undoLabel(verdict, cellName);
    button.addEventListener('click', () => undo());
    node.appendChild(button);
  }
}
