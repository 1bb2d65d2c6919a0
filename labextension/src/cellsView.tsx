/**
 * Per-cell table: one row per profiled run of a cell, newest first, sized for the
 * sidebar's default width (no horizontal scroll: the cell's name wraps, figures keep
 * their units). FLOPs, the least used figure, show on demand, on a line under each
 * run (a fifth column would not fit). A row (Enter or a click) scrolls to its cell;
 * runtime advice sits under the row it concerns.
 */
import * as React from 'react';

import { AppliedFixes } from './appliedFixes';
import { KernelEnergy } from './energy';
import { formatCo2, formatDuration, formatEnergy, formatFlops } from './format';
import { trans } from './i18n';
import { co2eGrams, Figure } from './liveView';
import { IProfileRecord } from './protocol';
import { canUndoFix, VerdictRow } from './verdictView';

/** How the sidebar names the cell of a run: "cell 6 · In [4]" (format.ts, cellLabel). */
export type CellNamer = (cellId: string | null, executionCount: number | null) => string;

/** Advice evidence, e.g. {mean_utilization_percent: {'gpu:0': 23}} -> "mean utilization percent: gpu:0 23". */
function formatEvidence(evidence: Record<string, unknown> | string): string {
  if (typeof evidence === 'string') {
    return evidence;
  }
  const show = (value: unknown): string =>
    value !== null && typeof value === 'object'
      ? Object.entries(value as Record<string, unknown>)
          .map(([key, inner]) => `${key} ${show(inner)}`)
          .join(', ')
      : String(value);
  return Object.entries(evidence)
    .map(([key, value]) => `${key.replace(/_/g, ' ')}: ${show(value)}`)
    .join('; ');
}

function RunRows(props: {
  record: IProfileRecord;
  label: string;
  co2: number | null;
  showFlops: boolean;
  revealCell: (cellId: string) => void;
  undo: (() => void) | null;
}): JSX.Element {
  const { record, label } = props;
  const advice = record.advice ?? [];
  const cellId = record.cell_id;
  const columns = 4;
  const reveal = () => cellId && props.revealCell(cellId);
  return (
    <tbody className="jp-GreenAssist-cellRow" data-status={record.status} data-cell-id={cellId ?? ''}>
      <tr
        tabIndex={cellId ? 0 : undefined}
        onClick={reveal}
        onKeyDown={event => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            reveal();
          }
        }}
        title={cellId ? trans.__('Scroll to %1', label) : trans.__('This run has no cell to scroll to')}
      >
        <th scope="row" className="jp-GreenAssist-label" data-field="cell-name">
          {record.status === 'error' && (
            <span className="jp-GreenAssist-errorMark" title={record.error?.evalue ?? trans.__('error')}>
              ✗<span className="jp-GreenAssist-srOnly">{trans.__('error')}</span>{' '}
            </span>
          )}
          {/* "cell 8 · In [5]" may wrap at the dot, never inside a part. */}
          {label.split(' · ').map((part, i) => (
            <React.Fragment key={i}>
              {i > 0 && ' · '}
              <span className="jp-GreenAssist-nowrap">{part}</span>
            </React.Fragment>
          ))}
          {record.label && <span className="jp-GreenAssist-runName"> {record.label}</span>}
        </th>
        <td data-field="cell-time">{formatDuration(record.duration_s)}</td>
        <td>
          <Figure field="cell-energy" value={formatEnergy(record.energy_j)} method={record.energy_method} />
        </td>
        <td>
          <Figure field="cell-co2e" value={formatCo2(props.co2)} method={record.energy_method} />
        </td>
      </tr>
      {props.showFlops && (
        <tr className="jp-GreenAssist-flopsRow">
          <td colSpan={columns} data-field="cell-flops" title={trans.__('2 FLOPs per multiply-add')}>
            {record.flops === null ? trans.__('FLOPs not counted') : trans.__('FLOPs: %1', formatFlops(record.flops))}
          </td>
        </tr>
      )}
      {advice.map((item, j) => (
        <tr key={j} className="jp-GreenAssist-advice">
          <td colSpan={columns}>
            <details>
              <summary>{trans.__('Advice: %1', item.title)}</summary>
              <p>{item.message}</p>
              {item.evidence && (
                <p className="jp-GreenAssist-muted">{trans.__('Evidence: %1', formatEvidence(item.evidence))}</p>
              )}
              {item.fix && <p>{trans.__('Fix: %1', item.fix)}</p>}
            </details>
          </td>
        </tr>
      ))}
      <VerdictRow record={record} columns={columns} cellName={label} undo={props.undo} />
    </tbody>
  );
}

export function CellsView(props: {
  energy: KernelEnergy | null;
  revealCell: (cellId: string) => void;
  cellName: CellNamer;
  fixes: AppliedFixes | null;
}): JSX.Element {
  const { energy, fixes } = props;
  const [showFlops, setShowFlops] = React.useState(false);
  const records = energy?.records ?? [];
  const carbon = energy?.state?.carbon ?? null;
  if (records.length === 0) {
    return (
      <p className="jp-GreenAssist-hint">
        {trans.__('No profiled cells yet. Run a cell with profiling on, or start one with %%greenprofile.')}
      </p>
    );
  }
  const rows = [...records].reverse();
  return (
    <div className="jp-GreenAssist-cellsView">
      <label className="jp-GreenAssist-option jp-GreenAssist-flopsToggle">
        <input type="checkbox" checked={showFlops} onChange={event => setShowFlops(event.currentTarget.checked)} />{' '}
        {trans.__('Show FLOPs')}
      </label>
      <table className="jp-GreenAssist-cells" data-flops={showFlops}>
        <caption className="jp-GreenAssist-srOnly">
          {trans.__('Profiled runs, newest first: time, energy and CO₂e of each')}
        </caption>
        <thead>
          <tr>
            <th scope="col">{trans.__('Cell')}</th>
            <th scope="col">{trans.__('Time')}</th>
            <th scope="col">{trans.__('Energy')}</th>
            <th scope="col">{trans.__('CO₂e')}</th>
          </tr>
        </thead>
        {rows.map((record, i) => {
          const cellId = record.cell_id;
          const latest = cellId ? (energy?.lastRecordFor(cellId) ?? null) : null;
          const undo = cellId && canUndoFix(record, latest, fixes) ? () => fixes?.undo(cellId) : null;
          return (
            <RunRows
              key={`${record.started_at}-${i}`}
              record={record}
              label={props.cellName(cellId, record.execution_count)}
              co2={co2eGrams(record.energy_j, carbon)}
              showFlops={showFlops}
              revealCell={props.revealCell}
              undo={undo}
            />
          );
        })}
      </table>
    </div>
  );
}
