import {
  approx,
  carEquivalent,
  formatCo2,
  formatDuration,
  formatEnergy,
  formatFlops,
  formatPower,
  isEstimate,
  leastCertain,
  methodLabel
} from '../src/format';

// Numbers and their units never part: a no-break space (\u00a0) joins them.
describe('numbers as people read them', () => {
  it('writes energy in mJ, J, Wh and kWh at the documented steps', () => {
    expect(formatEnergy(0.0123)).toBe('12.3\u00a0mJ');
    expect(formatEnergy(1)).toBe('1.00\u00a0J');
    expect(formatEnergy(359)).toBe('359\u00a0J'); // just under 0.1 Wh
    expect(formatEnergy(360)).toBe('0.100\u00a0Wh');
    expect(formatEnergy(3.6e6)).toBe('1.00\u00a0kWh');
  });

  it('never shows a missing figure as zero', () => {
    for (const format of [formatEnergy, formatPower, formatCo2, formatDuration, formatFlops]) {
      expect(format(null)).toBe('—');
      expect(format(undefined)).toBe('—');
    }
    expect(formatEnergy(NaN)).toBe('—');
    expect(formatEnergy(0)).toBe('0.00\u00a0mJ'); // a real zero is a figure
  });

  it('writes power, CO2e, durations and FLOPs', () => {
    expect(formatPower(41.54)).toBe('41.5\u00a0W');
    expect(formatPower(250.4)).toBe('250\u00a0W');
    expect(formatCo2(0.05)).toBe('50.0\u00a0mg');
    expect(formatCo2(2.5)).toBe('2.50\u00a0g');
    expect(formatCo2(1500)).toBe('1.50\u00a0kg');
    expect(formatDuration(0.25)).toBe('250\u00a0ms');
    expect(formatDuration(3.04)).toBe('3.0\u00a0s');
    expect(formatDuration(125)).toBe('2\u00a0min 5\u00a0s');
    expect(formatFlops(39.2e9)).toBe('39.2\u00a0GFLOP');
    expect(formatFlops(512)).toBe('512\u00a0FLOP');
  });

  it('writes tiny CO2e amounts in µg rather than a row of zeros', () => {
    expect(formatCo2(0.0000675)).toBe('67.5\u00a0µg');
    expect(formatCo2(0.0001)).toBe('0.100\u00a0mg');
    expect(formatCo2(1.26e-8)).toBe('12.6\u00a0ng');
  });

  it('keeps tiny energies and near-second durations as short as other figures', () => {
    expect(formatEnergy(9.34e-5)).toBe('93.4\u00a0µJ');
    expect(formatEnergy(1e-4)).toBe('0.100\u00a0mJ');
    expect(formatDuration(0.9996)).toBe('1.0\u00a0s');
    expect(formatDuration(0.9994)).toBe('999\u00a0ms');
  });

  it('says a CO2e amount as car distance (400 g per mile)', () => {
    expect(carEquivalent(400)).toBe('driving an average petrol car 1.6\u00a0km');
    expect(carEquivalent(0.285e-3)).toBe('driving an average petrol car 0.11\u00a0cm');
  });
});

describe('how a figure was obtained', () => {
  it('speaks the method vocabulary of green_assist/methods.py', () => {
    expect(methodLabel('counter')).toBe('measured: hardware energy counter');
    expect(methodLabel('estimated')).toBe('estimated with a model, not measured');
    expect(methodLabel(null)).toBe('unknown');
    expect(methodLabel('psychic')).toBe('psychic (a method this version does not know)');
  });

  it('never shows an estimate, an unknown or an unfamiliar method as a measurement', () => {
    expect(isEstimate('counter')).toBe(false);
    expect(isEstimate('attributed')).toBe(false);
    expect(isEstimate('estimated')).toBe(true);
    expect(isEstimate(null)).toBe(true);
    expect(isEstimate('psychic')).toBe(true);
    expect(approx('polled')).toBe('');
    expect(approx('estimated')).toBe('≈');
  });

  it('makes a sum as certain as its least certain part', () => {
    expect(leastCertain(['counter', 'polled'])).toBe('polled');
    expect(leastCertain(['counter', 'estimated', 'attributed'])).toBe('estimated');
    expect(leastCertain(['counter', null])).toBe('counter'); // unknown parts are not in the sum
    expect(leastCertain(['estimated', 'psychic'])).toBe('psychic');
    expect(leastCertain([])).toBeNull();
  });
});
