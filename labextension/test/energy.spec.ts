import { Signal } from '@lumino/signaling';

import { IKernelLink, KernelEnergy } from '../src/energy';
import type { ConnectionState } from '../src/kernelBridge';
import type {
  IHelloMessage,
  IKernelMessage,
  ILiveMessage,
  IProfileRecord,
  IRecordMessage,
  ISessionState,
  ITotals
} from '../src/protocol';

/** The comm to one kernel, as KernelEnergy sees it: messages in, messages out. */
class Link implements IKernelLink {
  readonly changed: Signal<Link, void> = new Signal<Link, void>(this);
  readonly messageReceived: Signal<Link, IKernelMessage> = new Signal<Link, IKernelMessage>(this);
  state: ConnectionState = 'connected';
  readonly sent: IKernelMessage[] = [];

  send(data: IKernelMessage): boolean {
    this.sent.push(data);
    return true;
  }

  receive(message: object): void {
    this.messageReceived.emit(message as IKernelMessage);
  }
}

function totals(cells: number, energy: number | null): ITotals {
  return {
    cells,
    errors: 0,
    duration_s: cells,
    energy_j: energy,
    energy_method: energy === null ? null : 'estimated',
    energy_unknown_cells: 0,
    energy_missing_components: [],
    co2e_g: null,
    co2e_unknown_cells: 0,
    flops: null,
    flops_counted_cells: 0,
    flops_complete: null,
    peak_rss_bytes: null
  };
}

function record(session: string, count: number, cellId: string): IProfileRecord {
  return {
    session_id: session,
    execution_count: count,
    cell_id: cellId,
    started_at: `2026-01-01T00:00:0${count}+00:00`,
    energy_j: count
  } as unknown as IProfileRecord;
}

function state(session: string, recent: IProfileRecord[], running: ILiveMessage | null = null): ISessionState {
  return {
    session_id: session,
    log_path: `/logs/${session}.jsonl`,
    log_problem: null,
    auto: { enabled: true, flops: false },
    totals: totals(recent.length, recent.length),
    recent,
    running,
    carbon: {} as ISessionState['carbon'],
    settings_problems: []
  };
}

function live(seq: number, cpuWatts: number | null): ILiveMessage {
  return {
    type: 'profile_live',
    session_id: 's1',
    seq,
    execution_count: 3,
    cell_id: 'c3',
    label: null,
    mode: 'auto',
    started_at: '2026-01-01T00:00:03+00:00',
    elapsed_s: seq * 0.5,
    energy: { cpu: { joules: seq, method: 'estimated', reason: null } },
    energy_j: seq,
    power: { cpu: { watts: cpuWatts, method: 'estimated', reason: null } },
    power_w: cpuWatts,
    flops_counting: false
  };
}

function hello(profiler: ISessionState): IHelloMessage {
  return {
    type: 'hello',
    protocol: 1,
    version: '0.1.0',
    pid: 42,
    host: {} as IHelloMessage['host'],
    profiler
  };
}

describe('KernelEnergy', () => {
  it('restores the session from the hello, then follows a cell from live figures to its record', () => {
    const link = new Link();
    const energy = new KernelEnergy(link);
    const received: ISessionState[] = [];
    energy.stateReceived.connect((_energy, sent) => received.push(sent));
    link.receive(hello(state('s1', [record('s1', 1, 'c1'), record('s1', 2, 'c2')])));
    expect(received).toHaveLength(1);
    expect(energy.records.map(r => r.cell_id)).toEqual(['c1', 'c2']);

    link.receive(live(0, 40));
    link.receive(live(1, 42.5));
    expect(energy.running?.seq).toBe(1);
    expect(energy.history.map(point => point.watts.cpu)).toEqual([40, 42.5]);

    const finished: IRecordMessage = { type: 'profile_record', record: record('s1', 3, 'c3'), totals: totals(3, 6) };
    link.receive(finished);
    expect(energy.running).toBeNull();
    expect(energy.state?.totals.cells).toBe(3);
    expect(energy.lastRecordFor('c3')?.execution_count).toBe(3);
    expect(energy.lastRecordFor('elsewhere')).toBeNull();
    // The trace ends with the cell: no made-up 0 W point for the idle time after it.
    expect(energy.history.map(point => point.watts.cpu)).toEqual([40, 42.5]);
    expect(new Set(energy.history.map(point => point.run)).size).toBe(1);
    expect(energy.history[0]).toMatchObject({ executionCount: 3, cellId: 'c3' });
  });

  it('says "connected" once per hello, not for the states the kernel sends in answer', () => {
    // The sidebar configures the kernel on "connected" and the kernel answers a
    // configure message with its state: were "connected" emitted per state, the two
    // would message each other in a loop (hundreds of round trips a second).
    const link = new Link();
    const energy = new KernelEnergy(link);
    let connections = 0;
    energy.connected.connect(() => {
      connections += 1;
      link.send({ type: 'profile_configure' });
    });
    link.receive(hello(state('s1', [])));
    for (let i = 0; i < 3; i++) {
      link.receive({ ...state('s1', []), type: 'profile_state' });
    }
    expect(connections).toBe(1);
    expect(link.sent).toHaveLength(1);
    link.receive(hello(state('s2', []))); // a restarted kernel greets again
    expect(connections).toBe(2);
  });

  it('keeps the records it has when the same session reconnects, and adds the ones it missed', () => {
    const link = new Link();
    const energy = new KernelEnergy(link);
    link.receive(hello(state('s1', [record('s1', 1, 'c1')])));
    link.receive({ ...state('s1', [record('s1', 1, 'c1'), record('s1', 2, 'c2')]), type: 'profile_state' });
    expect(energy.records.map(r => r.execution_count)).toEqual([1, 2]);
    // A new kernel process is a new session: its records replace the old ones.
    link.receive(hello(state('s2', [record('s2', 1, 'n1')])));
    expect(energy.records.map(r => r.session_id)).toEqual(['s2']);
  });

  it('counts a record once when a state message brought it before its own message', () => {
    const link = new Link();
    const energy = new KernelEnergy(link);
    link.receive(hello(state('s1', [])));
    link.receive({ ...state('s1', [record('s1', 1, 'c1')]), type: 'profile_state' });
    link.receive({ type: 'profile_record', record: record('s1', 1, 'c1'), totals: totals(1, 1) });
    expect(energy.records).toHaveLength(1);
  });

  it('forgets the running cell when the kernel restarts or dies', () => {
    const link = new Link();
    const energy = new KernelEnergy(link);
    link.receive(hello(state('s1', [], live(0, 10))));
    expect(energy.running).not.toBeNull();
    link.state = 'restarting';
    link.changed.emit();
    expect(energy.running).toBeNull();
  });

  it('asks the kernel to switch automatic profiling', () => {
    const link = new Link();
    new KernelEnergy(link).setAuto(false, true);
    expect(link.sent).toEqual([{ type: 'profile_set_auto', enabled: false, flops: true }]);
  });

  it('ignores messages that are not its own', () => {
    const link = new Link();
    const energy = new KernelEnergy(link);
    let changes = 0;
    energy.changed.connect(() => changes++);
    link.receive({ type: 'something_else', value: 1 });
    expect(changes).toBe(0);
    expect(energy.state).toBeNull();
  });
});
