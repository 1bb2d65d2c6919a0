/**
 * Live energy of the kernel in focus: power per component while a cell runs,
 * a chart of the last minutes, session totals with CO2e and an everyday
 * equivalent, the automatic-profiling switch and "Export report".
 */
import * as React from 'react';

import { PowerChart } from './chart';
import { KernelEnergy } from './energy';
import {
  approx,
  carEquivalent,
  CAR_SOURCE,
  formatCo2,
  formatDuration,
  formatEnergy,
  formatFlops,
  formatPower,
  isEstimate,
  leastCertain,
  methodLabel
} from './format';
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
  onToggleAuto: (enabled: boolean) => void;
  onExport: () => void;
}): JSX.Element {
  const { energy } = props;
  const state = energy?.state ?? null;
  if (!energy || !state) {
    return <p className="jp-GreenAssist-hint">Waiting for the kernel’s profiler…</p>;
  }
  const running = energy.running;
  const totals = state.totals;
  const carbon = state.carbon ?? null;
  const co2 = co2eGrams(totals.energy_j, carbon);
  return (
    <section className="jp-GreenAssist-live" aria-label="Live energy">
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
                cell [{running.execution_count ?? ' '}] · {formatDuration(running.elapsed_s)} ·{' '}
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
          <span className="jp-GreenAssist-muted">Idle: no profiled cell is running.</span>
        )}
      </div>
      <PowerChart history={energy.history} />
      <dl className="jp-GreenAssist-totals">
        <dt>Session energy</dt>
        <dd>
          <Figure field="session-energy" value={formatEnergy(totals.energy_j)} method={totals.energy_method} />
          <span className="jp-GreenAssist-muted">
            {' '}
            over {totals.cells} cell{totals.cells === 1 ? '' : 's'}, {formatDuration(totals.duration_s)}
            {totals.energy_unknown_cells > 0 &&
              totals.energy_j !== null &&
              ` (${totals.energy_unknown_cells} with unknown energy not included)`}
          </span>
        </dd>
        <dt>CO₂e</dt>
        <dd>
          <Figure field="session-co2e" value={formatCo2(co2)} method={totals.energy_method} detail={carbon?.note} />
          {carbon && (
            <span className="jp-GreenAssist-muted" data-field="intensity" title={carbon.note}>
              {' '}
              at {carbon.intensity_g_per_kwh.toFixed(0)} g/kWh (
              {carbon.region ?? (carbon.is_default ? 'world average' : 'your setting')}
              {carbon.pue !== 1 ? `, PUE ${carbon.pue}` : ''})
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
            <dt>That is like</dt>
            <dd title={CAR_SOURCE} data-field="equivalent">
              {carEquivalent(co2)}
            </dd>
          </>
        )}
        {totals.flops !== null && (
          <>
            <dt>FLOPs</dt>
            <dd title="Counted by torch.utils.flop_counter; 1 multiply-add = 2 FLOPs">
              {formatFlops(totals.flops)} in {totals.flops_counted_cells} cell
              {totals.flops_counted_cells === 1 ? '' : 's'}
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
          Profile every cell
        </label>
        <button className="jp-GreenAssist-button jp-mod-styled" disabled={totals.cells === 0} onClick={props.onExport}>
          Export report
        </button>
      </div>
      {state.log_problem && <p className="jp-GreenAssist-error">{state.log_problem}</p>}
    </section>
  );
}
