/**
 * Per-cell table: one row per profiled run of a cell, newest first. Clicking a
 * row scrolls to the cell; runtime advice shows under the row it concerns.
 */
import * as React from 'react';

import { AppliedFixes } from './appliedFixes';
import { KernelEnergy } from './energy';
import { formatCo2, formatDuration, formatEnergy, formatFlops } from './format';
import { co2eGrams, Figure } from './liveView';
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

export function CellsView(props: {
  energy: KernelEnergy | null;
  revealCell: (cellId: string) => void;
  cellName: CellNamer;
  fixes: AppliedFixes | null;
}): JSX.Element {
  const { energy, fixes } = props;
  const records = energy?.records ?? [];
  const carbon = energy?.state?.carbon ?? null;
  if (records.length === 0) {
    return (
      <p className="jp-GreenAssist-hint">
        No profiled cells yet. Run a cell with profiling on, or start one with %%greenprofile.
      </p>
    );
  }
  const rows = [...records].reverse();
  return (
    <div className="jp-GreenAssist-tableScroll">
      <table className="jp-GreenAssist-cells">
        <thead>
          <tr>
            <th scope="col">Cell</th>
            <th scope="col">Label</th>
            <th scope="col">Time</th>
            <th scope="col">Energy</th>
            <th scope="col">CO₂e</th>
            <th scope="col">FLOPs</th>
          </tr>
        </thead>
        {rows.map((record, i) => {
          const advice = record.advice ?? [];
          const cellId = record.cell_id;
          const cellName = props.cellName(cellId, record.execution_count);
          const latest = cellId ? (energy?.lastRecordFor(cellId) ?? null) : null;
          const undo = cellId && canUndoFix(record, latest, fixes) ? () => fixes?.undo(cellId) : null;
          return (
            <tbody
              key={`${record.started_at}-${i}`}
              className="jp-GreenAssist-cellRow"
              data-status={record.status}
              data-cell-id={cellId ?? ''}
            >
              <tr
                tabIndex={cellId ? 0 : -1}
                onClick={() => cellId && props.revealCell(cellId)}
                onKeyDown={event => {
                  if (cellId && (event.key === 'Enter' || event.key === ' ')) {
                    props.revealCell(cellId);
                  }
                }}
                title={cellId ? 'Scroll to this cell' : 'This run has no cell id'}
              >
                <td data-field="cell-name">{cellName}</td>
                <td className="jp-GreenAssist-label">
                  {record.status === 'error' && (
                    <span className="jp-GreenAssist-errorMark" title={record.error?.evalue ?? 'error'}>
                      ✗{' '}
                    </span>
                  )}
                  {record.label ?? (record.mode === 'magic' ? '%%greenprofile' : 'cell')}
                </td>
                <td>{formatDuration(record.duration_s)}</td>
                <td>
                  <Figure field="cell-energy" value={formatEnergy(record.energy_j)} method={record.energy_method} />
                </td>
                <td>
                  <Figure
                    field="cell-co2e"
                    value={formatCo2(co2eGrams(record.energy_j, carbon))}
                    method={record.energy_method}
                  />
                </td>
                <td title="1 multiply-add = 2 FLOPs">{formatFlops(record.flops)}</td>
              </tr>
              {advice.map((item, j) => (
                <tr key={j} className="jp-GreenAssist-advice">
                  <td colSpan={6}>
                    <details>
                      <summary>Advice: {item.title}</summary>
                      <p>{item.message}</p>
                      {item.evidence && (
                        <p className="jp-GreenAssist-muted">Evidence: {formatEvidence(item.evidence)}</p>
                      )}
                      {item.fix && <p>Fix: {item.fix}</p>}
                    </details>
                  </td>
                </tr>
              ))}
              <VerdictRow record={record} columns={6} cellName={cellName} undo={undo} />
            </tbody>
          );
        })}
      </table>
    </div>
  );
}
