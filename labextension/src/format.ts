/**
 * Numbers as people read them, each with how it was obtained. An estimate is
 * marked "≈" and styled differently from a measurement. The method vocabulary is
 * green_assist/methods.py's, generated into ./generated/payloads.ts.
 */
import { MEASURED_METHODS, METHOD_ORDER, METHOD_WORDS, Method } from './generated/payloads';
import { trans } from './i18n';

function isKnown(method: string): method is Method {
  return (METHOD_ORDER as readonly string[]).includes(method);
}

export function methodLabel(method: string | null | undefined): string {
  if (!method) {
    return trans.__('unknown');
  }
  return isKnown(method)
    ? trans.__(METHOD_WORDS[method])
    : trans.__('%1 (a method this version does not know)', method);
}

/** Not a measurement: an estimate, an unknown method, or a method this version does not know. */
export function isEstimate(method: string | null | undefined): boolean {
  return !method || !isKnown(method) || !MEASURED_METHODS.includes(method);
}

/** The least direct of several methods (unknown ones ignored, as green_assist.methods does). */
export function leastCertain(methods: (string | null | undefined)[]): string | null {
  let worst: string | null = null;
  for (const method of methods) {
    if (method && (worst === null || rank(method) > rank(worst))) {
      worst = method;
    }
  }
  return worst;
}

function rank(method: string): number {
  return isKnown(method) ? METHOD_ORDER.indexOf(method) : METHOD_ORDER.length;
}

/** "≈" for estimates, nothing for measurements. */
export function approx(method: string | null | undefined): string {
  return isEstimate(method) ? '≈' : '';
}

export function formatEnergy(joules: number | null | undefined): string {
  if (joules === null || joules === undefined || !isFinite(joules)) {
    return '—';
  }
  const wh = joules / 3600;
  if (wh >= 1000) {
    return `${(wh / 1000).toPrecision(3)}\u00a0kWh`;
  }
  if (wh >= 0.1) {
    return `${wh.toPrecision(3)}\u00a0Wh`;
  }
  if (joules >= 1) {
    return `${joules.toPrecision(3)}\u00a0J`;
  }
  if (joules >= 1e-4 || joules === 0) {
    return `${(joules * 1000).toPrecision(3)}\u00a0mJ`;
  }
  // Tiny figures in the next unit, not "0.0934 mJ": as wide as any other, so the cells
  // table keeps to the sidebar's width.
  return `${(joules * 1e6).toPrecision(3)}\u00a0µJ`;
}

export function formatPower(watts: number | null | undefined): string {
  if (watts === null || watts === undefined || !isFinite(watts)) {
    return '—';
  }
  return watts >= 100 ? `${watts.toFixed(0)}\u00a0W` : `${watts.toPrecision(3)}\u00a0W`;
}

export function formatCo2(grams: number | null | undefined): string {
  if (grams === null || grams === undefined || !isFinite(grams)) {
    return '—';
  }
  if (grams >= 1000) {
    return `${(grams / 1000).toPrecision(3)}\u00a0kg`;
  }
  if (grams >= 0.1) {
    return `${grams.toPrecision(3)}\u00a0g`;
  }
  if (grams >= 1e-4 || grams === 0) {
    return `${(grams * 1000).toPrecision(3)}\u00a0mg`;
  }
  if (grams >= 1e-7) {
    return `${(grams * 1e6).toPrecision(3)}\u00a0µg`;
  }
  return `${(grams * 1e9).toPrecision(3)}\u00a0ng`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !isFinite(seconds)) {
    return '—';
  }
  if (seconds < 0.9995) {
    return `${(seconds * 1000).toFixed(0)}\u00a0ms`; // (0.9996 s reads "1.0 s", not "1000 ms")
  }
  if (seconds < 60) {
    return `${seconds.toFixed(1)}\u00a0s`;
  }
  const minutes = Math.floor(seconds / 60);
  return trans.__('%1\u00a0min %2\u00a0s', minutes, Math.round(seconds - minutes * 60));
}

export function formatFlops(flops: number | null | undefined): string {
  if (flops === null || flops === undefined) {
    return '—';
  }
  const units: [number, string][] = [
    [1e15, 'PFLOP'],
    [1e12, 'TFLOP'],
    [1e9, 'GFLOP'],
    [1e6, 'MFLOP']
  ];
  for (const [scale, unit] of units) {
    if (flops >= scale) {
      return `${(flops / scale).toPrecision(3)}\u00a0${unit}`;
    }
  }
  return `${flops}\u00a0FLOP`;
}

/**
 * A plain-language equivalent of an amount of CO2e. Source: US EPA, "Greenhouse
 * Gas Emissions from a Typical Passenger Vehicle" (2023): about 400 g of CO2 per
 * mile driven by an average gasoline passenger car.
 */
export const CAR_G_PER_KM = 400 / 1.609344;
export function carSource(): string {
  return trans.__('US EPA (2023), Greenhouse Gas Emissions from a Typical Passenger Vehicle: ~400 g CO₂ per mile');
}

export function carEquivalent(grams: number): string {
  const metres = (grams / CAR_G_PER_KM) * 1000;
  const distance =
    metres >= 1000
      ? `${(metres / 1000).toPrecision(2)}\u00a0km`
      : metres >= 1
        ? `${metres.toPrecision(2)}\u00a0m`
        : `${(metres * 100).toPrecision(2)}\u00a0cm`;
  return trans.__('driving an average petrol car %1', distance);
}

/**
 * One way to name a cell everywhere: "cell 6 · In [4]" for the 0-based position 5 last
 * run as In [4]; either part alone when the other is unknown (green_assist/cells.py,
 * cell_label, writes the same; tests/fixtures/cell_labels.json holds both to it).
 */
export function cellLabel(index: number | null | undefined, executionCount?: number | null): string {
  const parts: string[] = [];
  if (index !== null && index !== undefined && index >= 0) {
    parts.push(trans.__('cell %1', index + 1));
  }
  if (executionCount !== null && executionCount !== undefined) {
    parts.push(`In [${executionCount}]`);
  }
  return parts.length > 0 ? parts.join(' · ') : trans.__('cell');
}
