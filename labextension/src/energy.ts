/**
 * What the sidebar knows about one kernel's energy: the session state the kernel
 * sends (totals, auto mode, recent records), the cell running now, and a short
 * power history for the live chart. Fed by the comm messages of
 * green_assist/profiler/messages.py (their types are generated from the payload schema).
 */
import { ISignal, Signal } from '@lumino/signaling';

import type { ConnectionState } from './kernelBridge';
import {
  IKernelMessage,
  ILiveMessage,
  IProfileRecord,
  IRecordMessage,
  ISessionState,
  isHello,
  PROFILE_LIVE,
  PROFILE_RECORD,
  PROFILE_SET_AUTO,
  PROFILE_STATE
} from './protocol';

/** One point of the power chart: when (ms since the epoch), watts per component, which run. */
export interface IPowerPoint {
  t: number;
  watts: Record<string, number | null>;
  methods: Record<string, string | null>;
  /** The measured cell run it belongs to: points of one run are joined, runs are not. */
  run: string;
  executionCount: number | null;
  cellId: string | null;
  label: string | null;
}

/** How many minutes of power history the chart keeps. */
export const HISTORY_MINUTES = 5;
const MAX_POINTS = HISTORY_MINUTES * 60 * 2; // live messages come about every 0.5 s

/** The part of a KernelBridge (the comm to one kernel) that KernelEnergy uses. */
export interface IKernelLink {
  readonly changed: ISignal<unknown, void>;
  readonly messageReceived: ISignal<unknown, IKernelMessage>;
  readonly state: ConnectionState;
  send(data: IKernelMessage): boolean;
}

export class KernelEnergy {
  constructor(readonly bridge: IKernelLink) {
    bridge.messageReceived.connect(this._onMessage, this);
    bridge.changed.connect(this._onBridgeChanged, this);
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Emitted when the kernel (re)sends its session state: apply defaults then. */
  get stateReceived(): ISignal<this, ISessionState> {
    return this._stateReceived;
  }

  /**
   * Emitted once per connection (the kernel's hello: a new kernel, a restart or a page
   * reload): the moment to tell the kernel side the sidebar's settings. Not on every
   * state, because the kernel answers a configure message with its state.
   */
  get connected(): ISignal<this, void> {
    return this._connected;
  }

  /** Kernel's session state; null until the kernel side reports one. */
  get state(): ISessionState | null {
    return this._state;
  }

  /** Records of this session, oldest first (the most recent ones the kernel kept). */
  get records(): IProfileRecord[] {
    return this._records;
  }

  /** The cell being measured now, or null. */
  get running(): ILiveMessage | null {
    return this._running;
  }

  get history(): IPowerPoint[] {
    return this._history;
  }

  /** Switch automatic per-cell profiling in the kernel. */
  setAuto(enabled: boolean, flops: boolean): boolean {
    return this.bridge.send({ type: PROFILE_SET_AUTO, enabled, flops });
  }

  /** The last record of a cell (by cell id), for the footer under it. */
  lastRecordFor(cellId: string): IProfileRecord | null {
    for (let i = this._records.length - 1; i >= 0; i--) {
      if (this._records[i].cell_id === cellId) {
        return this._records[i];
      }
    }
    return null;
  }

  dispose(): void {
    this.bridge.messageReceived.disconnect(this._onMessage, this);
    this.bridge.changed.disconnect(this._onBridgeChanged, this);
    Signal.clearData(this);
  }

  private _onBridgeChanged(): void {
    if (this.bridge.state === 'restarting' || this.bridge.state === 'dead') {
      // A new kernel process is a new session: its state arrives with its hello.
      this._running = null;
      this._changed.emit();
    }
  }

  private _onMessage(_sender: unknown, msg: IKernelMessage): void {
    if (isHello(msg)) {
      const profiler = msg.profiler as ISessionState | undefined;
      if (profiler) {
        this._applyState(profiler);
      }
      this._connected.emit();
    } else if (msg.type === PROFILE_STATE) {
      this._applyState(msg as unknown as ISessionState);
    } else if (msg.type === PROFILE_LIVE) {
      this._onLive(msg as unknown as ILiveMessage);
    } else if (msg.type === PROFILE_RECORD) {
      this._onRecord(msg as unknown as IRecordMessage);
    }
  }

  private _applyState(state: ISessionState): void {
    const newSession = this._state?.session_id !== state.session_id;
    this._state = state;
    if (newSession) {
      this._records = [...state.recent];
    } else {
      // Keep what we have; add records we missed while disconnected.
      const known = new Set(this._records.map(recordKey));
      for (const record of state.recent) {
        if (!known.has(recordKey(record))) {
          this._records.push(record);
        }
      }
    }
    this._running = state.running;
    this._changed.emit();
    this._stateReceived.emit(state);
  }

  private _onLive(msg: ILiveMessage): void {
    this._running = msg;
    const watts: Record<string, number | null> = {};
    const methods: Record<string, string | null> = {};
    for (const [component, figure] of Object.entries(msg.power)) {
      watts[component] = figure.watts;
      methods[component] = figure.method;
    }
    this._history.push({
      t: Date.now(),
      watts,
      methods,
      run: `${msg.session_id}:${msg.started_at}`,
      executionCount: msg.execution_count,
      cellId: msg.cell_id,
      label: msg.label
    });
    if (this._history.length > MAX_POINTS) {
      this._history.splice(0, this._history.length - MAX_POINTS);
    }
    this._changed.emit();
  }

  private _onRecord(msg: IRecordMessage): void {
    // The kernel delivers records from a background thread: a state sent meanwhile
    // may already have brought this one.
    const key = recordKey(msg.record);
    if (!this._records.some(known => recordKey(known) === key)) {
      this._records.push(msg.record);
    }
    if (this._state) {
      this._state = { ...this._state, totals: msg.totals, running: null };
    }
    // The run's trace simply ends: the time until the next run is idle, not 0 W.
    this._running = null;
    this._changed.emit();
  }

  private _state: ISessionState | null = null;
  private _records: IProfileRecord[] = [];
  private _running: ILiveMessage | null = null;
  private _history: IPowerPoint[] = [];
  private _changed = new Signal<this, void>(this);
  private _stateReceived = new Signal<this, ISessionState>(this);
  private _connected = new Signal<this, void>(this);
}

function recordKey(record: IProfileRecord): string {
  return `${record.session_id}:${record.started_at}:${record.execution_count ?? ''}`;
}
