import { Signal } from '@lumino/signaling';

import type { ConnectionState } from '../src/kernelBridge';
import { KernelFacts, PENDING_LIMIT_MS } from '../src/kernelFacts';
import type { IHardware, IHelloMessage, IProfileRecord } from '../src/protocol';

const EPYC = { cpu_model: 'AMD EPYC', cpu_fast_bf16: 'avx512_bf16', gpus: [] } as unknown as IHardware;
const XEON = { cpu_model: 'Xeon', cpu_fast_bf16: null, gpus: [] } as unknown as IHardware;

class Bridge {
  readonly changed: Signal<Bridge, void> = new Signal<Bridge, void>(this);
  state: ConnectionState = 'connecting';
  hello: IHelloMessage | null = null;

  set(state: ConnectionState, hardware?: IHardware): void {
    this.state = state;
    this.hello = hardware ? ({ type: 'hello', hardware } as unknown as IHelloMessage) : null;
    this.changed.emit();
  }
}

function setUp(records: Record<string, IProfileRecord> = {}) {
  const bridge = new Bridge();
  const energy = { lastRecordFor: (id: string) => records[id] ?? null };
  const facts = new KernelFacts(bridge, energy, index => ['intro', 'train'][index] ?? null);
  let changes = 0;
  facts.changed.connect(() => changes++);
  return { bridge, facts, changes: () => changes };
}

describe("the kernel's facts for advice and fixes", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('waits for a starting kernel to say which machine it runs on, then keeps it', () => {
    const { bridge, facts } = setUp();
    expect(facts.pending).toBe(true);
    bridge.set('connected', EPYC);
    expect(facts.pending).toBe(false);
    expect(facts.hardware).toEqual(EPYC);
    bridge.set('restarting'); // the same machine until a new hello says otherwise
    expect(facts.pending).toBe(false);
    expect(facts.hardware).toEqual(EPYC);
    bridge.set('connected', XEON);
    expect(facts.hardware).toEqual(XEON);
  });

  it('gives up waiting after a while, and never waits without a kernel', () => {
    const { bridge, facts } = setUp();
    jest.advanceTimersByTime(PENDING_LIMIT_MS);
    expect(facts.pending).toBe(false);
    expect(facts.hardware).toBeNull();
    const other = setUp();
    other.bridge.set('no-kernel');
    expect(other.facts.pending).toBe(false);
    bridge.set('connected', EPYC);
    expect(facts.hardware).toEqual(EPYC);
  });

  it('says changed only when something changed', () => {
    const { bridge, changes } = setUp();
    bridge.set('connected', EPYC);
    const after = changes();
    bridge.set('connected', { ...EPYC });
    expect(changes()).toBe(after);
  });

  it("gives a refactor the cell's last profiled run", () => {
    const record = { duration_s: 10.6, energy_j: 23.2, flops: 1.2e12, cell_id: 'train' } as unknown as IProfileRecord;
    const { facts } = setUp({ train: record });
    expect(facts.profileOf(1)).toEqual({ duration_s: 10.6, energy_j: 23.2, flops: 1.2e12 });
    expect(facts.profileOf(0)).toBeNull();
    expect(facts.profileOf(null)).toBeNull();
  });
});
