/**
 * Numbers as people read them, each with how it was obtained. An estimate is
 * marked "≈" and styled differently from a measurement.
 */

export const METHOD_LABELS: Record<string, string> = {
  counter: 'measured (hardware energy counter)',
  polled: 'measured (power samples integrated over time)',
  attributed: 'measured, this process’s share of a shared device',
  estimated: 'estimated (a model, not a measurement)'
};

export function methodLabel(method: string | null | undefined): string {
  if (!method) {
    return 'unknown';
  }
  return METHOD_LABELS[method] ?? method;
}

export function isEstimate(method: string | null | undefined): boolean {
  return method === 'estimated' || !method;
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
    return `${(wh / 1000).toPrecision(3)} kWh`;
  }
  if (wh >= 0.1) {
    return `${wh.toPrecision(3)} Wh`;
  }
  if (joules >= 1) {
    return `${joules.toPrecision(3)} J`;
  }
  return `${(joules * 1000).toPrecision(3)} mJ`;
}

export function formatPower(watts: number | null | undefined): string {
  if (watts === null || watts === undefined || !isFinite(watts)) {
    return '—';
  }
  return watts >= 100 ? `${watts.toFixed(0)} W` : `${watts.toPrecision(3)} W`;
}

export function formatCo2(grams: number | null | undefined): string {
  if (grams === null || grams === undefined || !isFinite(grams)) {
    return '—';
  }
  if (grams >= 1000) {
    return `${(grams / 1000).toPrecision(3)} kg`;
  }
  if (grams >= 0.1) {
    return `${grams.toPrecision(3)} g`;
  }
  return `${(grams * 1000).toPrecision(3)} mg`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !isFinite(seconds)) {
    return '—';
  }
  if (seconds < 1) {
    return `${(seconds * 1000).toFixed(0)} ms`;
  }
  if (seconds < 60) {
    return `${seconds.toFixed(1)} s`;
  }
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
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
      return `${(flops / scale).toPrecision(3)} ${unit}`;
    }
  }
  return `${flops} FLOP`;
}

/**
 * A plain-language equivalent of an amount of CO2e. Source: US EPA, "Greenhouse
 * Gas Emissions from a Typical Passenger Vehicle" (2023): about 400 g of CO2 per
 * mile driven by an average gasoline passenger car.
 */
export const CAR_G_PER_KM = 400 / 1.609344;
export const CAR_SOURCE =
  'US EPA (2023), Greenhouse Gas Emissions from a Typical Passenger Vehicle: ~400 g CO₂ per mile';

export function carEquivalent(grams: number): string {
  const metres = (grams / CAR_G_PER_KM) * 1000;
  if (metres >= 1000) {
    return `driving an average petrol car ${(metres / 1000).toPrecision(2)} km`;
  }
  if (metres >= 1) {
    return `driving an average petrol car ${metres.toPrecision(2)} m`;
  }
  return `driving an average petrol car ${(metres * 100).toPrecision(2)} cm`;
}
