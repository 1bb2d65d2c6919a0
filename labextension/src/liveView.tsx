/**
 * Live energy of the kernel in focus: power per component while a cell runs,
 * a chart of the last minutes, session totals with CO2e and an everyday
 * equivalent, the automatic-profiling switch and "Export report".
 */
import * as React from 'react';

import type { CellNamer } from './cellsView';
import { PowerChart } from './chart';
import { KernelEnergy } from './energy';
import {
  approx,
  carEquivalent,
  carSource,
  formatCo2,
  formatDuration,
  formatEnergy,
  formatFlops,
  formatPower,
  isEstimate,
  leastCertain,
  methodLabel
} from './format';
import { trans } from './i18n';
import { ICarbonInfo } from './protocol';

/** Litres of water, as mL below one litre. */
function formatWater(litres: number): string {
  return litres < 1 ? `${(litres * 1000).toPrecision(3)} mL` : `${litres.toPrecision(3)} L`;
}

/** What the session's energy would emit in the provider's lowest-carbon region nearby and
 * in the region the user chose, with each figure's year. */
function Elsewhere(props: { joules: number | null; carbon: ICarbonInfo | null }): JSX.Element | null {
  const places = props.carbon?.alternatives;
  if (!places || props.joules === null) {
    return null;
  }
  const rows = (
    [
      ['lowest-carbon nearby', places.lowest_nearby],
      ['your comparison', places.chosen]
    ] as const
  ).filter(([, place]) => place !== null);
  if (rows.length === 0) {
    return null;
  }
  return (
    <>
      <dt>Same energy in</dt>
      <dd data-field="elsewhere">
        {rows.map(([label, place]) => (
          <div key={label} title={place!.source}>
            {place!.region} ({label}, {place!.g_per_kwh.toFixed(0)} g/kWh, {place!.year}):{' '}
            {formatCo2((props.joules! / 3.6e6) * place!.pue * place!.g_per_kwh)}
          </div>
        ))}
      </dd>
    </>
  );
}

/** CO2e of an amount of energy under the carbon settings in use now. */
export function co2eGrams(joules: number | null | undefined, carbon: ICarbonInfo | null): number | null {
  if (joules === null || joules === undefined || !carbon) {
    return null;
  }
  return (joules / 3.6e6) * carbon.pue * carbon.intensity_g_per_kwh;
}

export function Figure(props: {
  value: string;
  method: string | null | undefined;
  field: string;
  detail?: string;
}): JSX.Element {
  const estimated = isEstimate(props.method);
  return (
    <span
      className={`jp-GreenAssist-figure${estimated ? ' jp-GreenAssist-estimated' : ''}`}
      data-field={props.field}
      data-method={props.method ?? 'unknown'}
      title={`${methodLabel(props.method)}${props.detail ? ` — ${props.detail}` : ''}`}
    >
      {approx(props.method)}
      {props.value}
    </span>
  );
}

export function LiveView(props: {
  energy: KernelEnergy | null;
  cellName: CellNamer;
  onToggleAuto: (enabled: boolean) => void;
  onExport: (options: { anonymize: boolean }) => void;
}): JSX.Element {
  const { energy } = props;
  const [anonymize, setAnonymize] = React.useState(false);
  const state = energy?.state ?? null;
  if (!energy || !state) {
    return <p className="jp-GreenAssist-hint">{trans.__('Waiting for the kernel’s profiler…')}</p>;
  }
  const running = energy.running;
  const totals = state.totals;
  const carbon = state.carbon ?? null;
  const co2 = co2eGrams(totals.energy_j, carbon);
  return (
    <section className="jp-GreenAssist-live" aria-label={trans.__('Live energy')}>
      <div className="jp-GreenAssist-powerNow" data-running={running ? 'true' : 'false'}>
        {running ? (
          <>
            <div className="jp-GreenAssist-powerTotal">
              <Figure
                field="power"
                value={formatPower(running.power_w)}
                method={leastCertain(Object.values(running.power).map(p => p.method))}
              />
              <span className="jp-GreenAssist-muted">
                {' '}
                {props.cellName(running.cell_id, running.execution_count)} · {formatDuration(running.elapsed_s)} ·{' '}
                {formatEnergy(running.energy_j)}
              </span>
            </div>
            <ul className="jp-GreenAssist-components">
              {Object.entries(running.power).map(([component, figure]) => (
                <li key={component}>
                  <span>{component}</span>
                  <Figure
                    field={`power-${component}`}
                    value={formatPower(figure.watts)}
                    method={figure.method}
                    detail={figure.reason ?? undefined}
                  />
                </li>
              ))}
            </ul>
          </>
        ) : (
          <span className="jp-GreenAssist-muted">{trans.__('Idle: no profiled cell is running.')}</span>
        )}
      </div>
      <PowerChart history={energy.history} running={running !== null} cellName={props.cellName} />
      <dl className="jp-GreenAssist-totals">
        <dt>{trans.__('Session energy')}</dt>
        <dd>
          <Figure field="session-energy" value={formatEnergy(totals.energy_j)} method={totals.energy_method} />
          <span className="jp-GreenAssist-muted">
            {' '}
            {trans._n('over %1 cell, %2', 'over %1 cells, %2', totals.cells, formatDuration(totals.duration_s))}
            {totals.energy_unknown_cells > 0 &&
              totals.energy_j !== null &&
              ` ${trans.__('(%1 with unknown energy not included)', totals.energy_unknown_cells)}`}
          </span>
        </dd>
        <dt>{trans.__('CO₂e')}</dt>
        <dd>
          <Figure field="session-co2e" value={formatCo2(co2)} method={totals.energy_method} detail={carbon?.note} />
          {carbon && (
            <span className="jp-GreenAssist-muted" data-field="intensity" title={carbon.note}>
              {' '}
              {trans.__(
                'at %1 g/kWh (%2)',
                carbon.intensity_g_per_kwh.toFixed(0),
                (carbon.region ?? (carbon.is_default ? trans.__('world average') : trans.__('your setting'))) +
                  (carbon.pue !== 1 ? `, PUE ${carbon.pue}` : '')
              )}
            </span>
          )}
        </dd>
        <Elsewhere joules={totals.energy_j} carbon={carbon} />
        {totals.embodied_co2e_g !== null && totals.embodied_co2e_g !== undefined && (
          <>
            <dt>Embodied CO₂e</dt>
            <dd
              data-field="embodied"
              title="Estimate: hardware manufacturing amortised over its service life (see the report's Methods)"
            >
              ≈{formatCo2(totals.embodied_co2e_g)}
              {totals.water_l !== null && totals.water_l !== undefined && (
                <span className="jp-GreenAssist-muted"> · water ≈{formatWater(totals.water_l)}</span>
              )}
            </dd>
          </>
        )}
        {co2 !== null && co2 > 0 && (
          <>
            <dt>{trans.__('That is like')}</dt>
            <dd title={carSource()} data-field="equivalent">
              {carEquivalent(co2)}
            </dd>
          </>
        )}
        {totals.flops !== null && (
          <>
            <dt>{trans.__('FLOPs')}</dt>
            <dd title={trans.__('Counted with torch.utils.flop_counter.FlopCounterMode; 2 FLOPs per multiply-add')}>
              {trans._n('%2 in %1 cell', '%2 in %1 cells', totals.flops_counted_cells, formatFlops(totals.flops))}
            </dd>
          </>
        )}
      </dl>
      <div className="jp-GreenAssist-controls">
        <label className="jp-GreenAssist-toggle">
          <input
            type="checkbox"
            checked={state.auto.enabled}
            onChange={event => props.onToggleAuto(event.currentTarget.checked)}
          />{' '}
          {trans.__('Profile every cell')}
        </label>
      </div>
      <div className="jp-GreenAssist-controls">
        <button
          className="jp-GreenAssist-button jp-mod-styled"
          disabled={totals.cells === 0}
          onClick={() => props.onExport({ anonymize })}
        >
          {trans.__('Export report')}
        </button>
        <label
          className="jp-GreenAssist-option"
          title={trans.__('For sharing: the report leaves out the host name and absolute paths')}
        >
          <input type="checkbox" checked={anonymize} onChange={event => setAnonymize(event.currentTarget.checked)} />{' '}
          {trans.__('Anonymize')}
        </label>
      </div>
      {state.log_problem && <p className="jp-GreenAssist-error">{state.log_problem}</p>}
    </section>
  );
}
