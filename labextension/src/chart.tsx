/**
 * The live power chart: power per component over the last minutes, on a time axis.
 * Each measured cell run is its own trace, so the idle time between runs is a gap
 * (nothing is measured there), and each run starts at a marked boundary. Hovering
 * (or the arrow keys, once the chart has focus) shows the time, the power of each
 * component and the cell. Colours are the theme's (--jp-* variables); estimated
 * series are dashed, measured ones solid. Drawn by hand: a charting library would
 * weigh more than the chart.
 */
import * as React from 'react';

import type { CellNamer } from './cellsView';
import { HISTORY_MINUTES, IPowerPoint } from './energy';
import { approx, formatPower, isEstimate, methodLabel } from './format';
import { trans } from './i18n';

const HEIGHT = 120;
const MARGIN = { left: 48, right: 8, top: 8, bottom: 18 };
// Time steps for the axis, in seconds; the first that leaves room for its labels wins.
const STEPS_S = [5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];
const LABEL_WIDTH_PX = 84;
// Series colours: classes jp-GreenAssist-series0..5, each a --jp-* theme colour (base.css).
const SERIES = 6;

function runName(point: IPowerPoint, name: CellNamer): string {
  const cell = name(point.cellId, point.executionCount);
  return point.label ? `${cell} (${point.label})` : cell;
}

interface IRun {
  key: string;
  points: IPowerPoint[];
}

function runsOf(points: IPowerPoint[]): IRun[] {
  const runs: IRun[] = [];
  for (const point of points) {
    const last = runs[runs.length - 1];
    if (last && last.key === point.run) {
      last.points.push(point);
    } else {
      runs.push({ key: point.run, points: [point] });
    }
  }
  return runs;
}

/** The element's width, kept up to date (a callback ref: the element may be replaced). */
function useWidth(): [number, (node: HTMLDivElement | null) => void, HTMLDivElement | null] {
  const [node, setNode] = React.useState<HTMLDivElement | null>(null);
  const [width, setWidth] = React.useState(0);
  React.useLayoutEffect(() => {
    if (!node) {
      return;
    }
    setWidth(node.clientWidth);
    const observer = new ResizeObserver(entries => setWidth(entries[0].contentRect.width));
    observer.observe(node);
    return () => observer.disconnect();
  }, [node]);
  return [width, setNode, node];
}

function niceCeiling(value: number): number {
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  for (const factor of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    if (factor * power >= value) {
      return factor * power;
    }
  }
  return 10 * power;
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function PowerChart(props: { history: IPowerPoint[]; running: boolean; cellName: CellNamer }): JSX.Element {
  const [width, boxRef, box] = useWidth();
  const [active, setActive] = React.useState<number | null>(null);
  const tooltipId = React.useId();

  const end = props.history.length ? props.history[props.history.length - 1].t : 0;
  const t1 = props.running ? Math.max(end, Date.now()) : end;
  const points = props.history.filter(p => p.t >= t1 - HISTORY_MINUTES * 60_000);
  if (points.length < 2) {
    return (
      <div ref={boxRef} className="jp-GreenAssist-chart">
        <p className="jp-GreenAssist-hint jp-GreenAssist-chartEmpty">
          {trans.__('The power chart fills in while a profiled cell runs.')}
        </p>
      </div>
    );
  }
  const t0 = Math.min(points[0].t, t1 - 10_000);
  const components = Array.from(new Set(points.flatMap(p => Object.keys(p.watts)))).sort();
  let top = 0;
  for (const point of points) {
    for (const w of Object.values(point.watts)) {
      top = w !== null && w > top ? w : top;
    }
  }
  top = niceCeiling(Math.max(top, 0.1));
  const plotWidth = Math.max(width - MARGIN.left - MARGIN.right, 10);
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (t: number) => MARGIN.left + ((t - t0) / (t1 - t0)) * plotWidth;
  const y = (w: number) => MARGIN.top + plotHeight - (w / top) * plotHeight;
  const spanS = (t1 - t0) / 1000;
  const stepS = STEPS_S.find(step => (plotWidth / spanS) * step >= LABEL_WIDTH_PX) ?? STEPS_S[STEPS_S.length - 1];
  const ticks: number[] = [];
  for (let t = Math.ceil(t0 / (stepS * 1000)) * stepS * 1000; t <= t1; t += stepS * 1000) {
    ticks.push(t);
  }
  const runs = runsOf(points);
  const methodOf = (component: string) => points[points.length - 1].methods[component] ?? null;
  const colour = (i: number) => `jp-GreenAssist-series${i % SERIES}`;
  const shown = active !== null ? points[Math.min(active, points.length - 1)] : null;

  const pick = (clientX: number) => {
    const rect = box?.getBoundingClientRect();
    if (!rect) {
      return;
    }
    const t = t0 + ((clientX - rect.left - MARGIN.left) / plotWidth) * (t1 - t0);
    let best = 0;
    points.forEach((p, i) => {
      best = Math.abs(p.t - t) < Math.abs(points[best].t - t) ? i : best;
    });
    setActive(best);
  };
  const onKey = (event: React.KeyboardEvent) => {
    const last = points.length - 1;
    const current = active ?? last;
    const moves: Record<string, number> = {
      ArrowLeft: Math.max(current - 1, 0),
      ArrowRight: Math.min(current + 1, last),
      Home: 0,
      End: last
    };
    if (event.key in moves) {
      event.preventDefault();
      setActive(moves[event.key]);
    } else if (event.key === 'Escape') {
      setActive(null);
    }
  };

  const summary = trans.__(
    'Power over the last %1, up to %2, in %3 runs. Use the arrow keys for the values at each moment.',
    spanS >= 60 ? trans.__('%1 min', Math.round(spanS / 60)) : trans.__('%1 s', Math.round(spanS)),
    formatPower(top),
    runs.length
  );
  return (
    <figure className="jp-GreenAssist-chart">
      <div
        ref={boxRef}
        className="jp-GreenAssist-chartBox"
        tabIndex={0}
        role="img"
        aria-label={summary}
        aria-describedby={shown ? tooltipId : undefined}
        onPointerMove={event => pick(event.clientX)}
        onPointerLeave={() => setActive(null)}
        onFocus={() => setActive(points.length - 1)}
        onBlur={() => setActive(null)}
        onKeyDown={onKey}
      >
        <svg width={width} height={HEIGHT} aria-hidden="true">
          <g className="jp-GreenAssist-axis">
            <line x1={MARGIN.left} x2={MARGIN.left + plotWidth} y1={y(0)} y2={y(0)} />
            <line x1={MARGIN.left} x2={MARGIN.left} y1={MARGIN.top} y2={y(0)} />
            <text x={MARGIN.left - 4} y={MARGIN.top + 4} textAnchor="end" data-field="chart-top">
              {formatPower(top)}
            </text>
            <text x={MARGIN.left - 4} y={y(0)} textAnchor="end">
              0
            </text>
            {ticks.map(t => (
              <g key={t} className="jp-GreenAssist-tick">
                <line x1={x(t)} x2={x(t)} y1={y(0)} y2={y(0) + 3} />
                <text x={x(t)} y={HEIGHT - 4} textAnchor="middle" data-field="chart-time">
                  {clock.format(t)}
                </text>
              </g>
            ))}
          </g>
          {runs.map(run => (
            <g key={run.key} className="jp-GreenAssist-run" data-run={run.key}>
              <line
                className="jp-GreenAssist-boundary"
                x1={x(run.points[0].t)}
                x2={x(run.points[0].t)}
                y1={MARGIN.top}
                y2={y(0)}
              >
                <title>{runName(run.points[0], props.cellName)}</title>
              </line>
              {components.map((component, i) => {
                const line = run.points
                  .filter(p => p.watts[component] !== null && p.watts[component] !== undefined)
                  .map(p => `${x(p.t).toFixed(1)},${y(p.watts[component] as number).toFixed(1)}`);
                return line.length === 1 ? (
                  <circle
                    key={component}
                    className={colour(i)}
                    cx={line[0].split(',')[0]}
                    cy={line[0].split(',')[1]}
                    r={1.5}
                  />
                ) : (
                  <polyline
                    key={component}
                    className={colour(i)}
                    points={line.join(' ')}
                    fill="none"
                    strokeWidth={1.5}
                    strokeDasharray={isEstimate(methodOf(component)) ? '4 3' : undefined}
                  />
                );
              })}
            </g>
          ))}
          {shown && (
            <line className="jp-GreenAssist-cursor" x1={x(shown.t)} x2={x(shown.t)} y1={MARGIN.top} y2={y(0)} />
          )}
        </svg>
        {shown && (
          <div
            id={tooltipId}
            role="tooltip"
            className="jp-GreenAssist-chartTip"
            style={x(shown.t) > width / 2 ? { right: width - x(shown.t) + 6 } : { left: x(shown.t) + 6 }}
          >
            <div className="jp-GreenAssist-chartTipHead">
              <time dateTime={new Date(shown.t).toISOString()}>{clock.format(shown.t)}</time> ·{' '}
              <span data-field="chart-cell">{runName(shown, props.cellName)}</span>
            </div>
            {components.map((component, i) => (
              <div key={component} data-component={component}>
                <span className={`jp-GreenAssist-swatch ${colour(i)}`} aria-hidden="true" /> {component}:{' '}
                {approx(shown.methods[component])}
                {formatPower(shown.watts[component])}
              </div>
            ))}
          </div>
        )}
      </div>
      <figcaption>
        {components.map((component, i) => {
          const method = methodOf(component);
          return (
            <span key={component} className="jp-GreenAssist-legend" title={methodLabel(method)}>
              <span
                className={`jp-GreenAssist-swatch ${colour(i)}`}
                data-estimated={isEstimate(method)}
                aria-hidden="true"
              />
              {component}
              {isEstimate(method) ? ` (${trans.__('estimated')})` : ''}
            </span>
          );
        })}
      </figcaption>
    </figure>
  );
}
