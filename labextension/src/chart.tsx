/**
 * A small SVG line chart of power per component over the last minutes. Written
 * by hand (a few dozen lines) rather than pulling in a charting library.
 * Estimated series are dashed, measured ones solid.
 */
import * as React from 'react';

import { IPowerPoint } from './energy';
import { formatPower, isEstimate, methodLabel } from './format';

const WIDTH = 300;
const HEIGHT = 90;
const COLORS = ['#2e7d32', '#1565c0', '#ef6c00', '#6a1b9a', '#c62828', '#00838f'];

export function PowerChart(props: { history: IPowerPoint[] }): JSX.Element {
  const { history } = props;
  if (history.length < 2) {
    return (
      <p className="jp-GreenAssist-hint jp-GreenAssist-chartEmpty">
        The power chart fills in while a profiled cell runs.
      </p>
    );
  }
  const components = Array.from(new Set(history.flatMap(p => Object.keys(p.watts)))).sort();
  const t0 = history[0].t;
  const t1 = Math.max(history[history.length - 1].t, t0 + 1);
  let maxWatts = 1;
  for (const point of history) {
    for (const w of Object.values(point.watts)) {
      if (w !== null && w > maxWatts) {
        maxWatts = w;
      }
    }
  }
  const x = (t: number) => ((t - t0) / (t1 - t0)) * WIDTH;
  const y = (w: number) => HEIGHT - (w / maxWatts) * (HEIGHT - 4);
  return (
    <figure className="jp-GreenAssist-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Power over the last ${Math.round(t1 - t0)} s, up to ${formatPower(maxWatts)}`}
      >
        {components.map((component, i) => {
          const points = history
            .filter(p => p.watts[component] !== null && p.watts[component] !== undefined)
            .map(p => `${x(p.t).toFixed(1)},${y(p.watts[component] as number).toFixed(1)}`)
            .join(' ');
          const method = history[history.length - 1].methods[component];
          return (
            <polyline
              key={component}
              points={points}
              fill="none"
              stroke={COLORS[i % COLORS.length]}
              strokeWidth={1.5}
              strokeDasharray={isEstimate(method) ? '4 3' : undefined}
              vectorEffect="non-scaling-stroke"
            />
          );
        })}
      </svg>
      <figcaption>
        <span className="jp-GreenAssist-axis">0 – {formatPower(maxWatts)}</span>
        {components.map((component, i) => {
          const method = history[history.length - 1].methods[component];
          return (
            <span key={component} className="jp-GreenAssist-legend" title={methodLabel(method)}>
              <span
                className="jp-GreenAssist-swatch"
                style={{ borderColor: COLORS[i % COLORS.length] }}
                data-estimated={isEstimate(method)}
              />
              {component}
            </span>
          );
        })}
      </figcaption>
    </figure>
  );
}
