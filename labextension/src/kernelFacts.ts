/**
 * What a notebook's kernel says that makes advice and fixes fit: the machine it runs on
 * (its hello's `hardware`) and each cell's last profiled run. Analyses and refactors of
 * the notebook send them to the server (findings.ts, fixes.ts).
 *
 * The machine is kept across restarts and reconnects (it is the same machine until a
 * new hello says otherwise). While a kernel starts and has not said yet, the facts are
 * pending: advice waits for them rather than first giving advice for any hardware and
 * taking it back a moment later, for at most PENDING_LIMIT_MS.
 */
import { ISignal, Signal } from '@lumino/signaling';

import type { ICellProfile, IHardware } from './api';
import type { KernelEnergy } from './energy';
import type { ConnectionState } from './kernelBridge';
import type { IHelloMessage } from './protocol';

/** What the facts read of the comm to the kernel (a KernelBridge) and of its energy. */
export interface IFactsLink {
  readonly changed: ISignal<unknown, void>;
  readonly hello: IHelloMessage | null;
  readonly state: ConnectionState;
}
export type FactsEnergy = Pick<KernelEnergy, 'lastRecordFor'>;

/** How long advice waits for a starting kernel to say what machine it runs on. */
export const PENDING_LIMIT_MS = 30000;

export interface IKernelFacts {
  /** The kernel's machine, or null: not known (advice for any hardware). */
  readonly hardware: IHardware | null;
  /** A kernel is starting and will say which machine it runs on. */
  readonly pending: boolean;
  /** Emitted when the hardware or pending change. */
  readonly changed: ISignal<IKernelFacts, void>;
  /** The last profiled run of the cell at this position, or null. */
  profileOf(cellIndex: number | null): ICellProfile | null;
}

export class KernelFacts implements IKernelFacts {
  constructor(
    private _bridge: IFactsLink,
    private _energy: FactsEnergy,
    private _cellId: (index: number) => string | null
  ) {
    _bridge.changed.connect(this._update, this);
    this._update();
  }

  get hardware(): IHardware | null {
    return this._hardware;
  }

  get pending(): boolean {
    return this._pending;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  profileOf(cellIndex: number | null): ICellProfile | null {
    const cellId = cellIndex === null ? null : this._cellId(cellIndex);
    const record = cellId ? this._energy.lastRecordFor(cellId) : null;
    return record ? { duration_s: record.duration_s, energy_j: record.energy_j, flops: record.flops } : null;
  }

  dispose(): void {
    clearTimeout(this._timer);
    this._bridge.changed.disconnect(this._update, this);
    Signal.clearData(this);
  }

  private _update(): void {
    const said = this._bridge.hello?.hardware ?? null;
    const starting = ['connecting', 'restarting'].includes(this._bridge.state);
    const hardware = said ?? this._hardware;
    const pending = hardware === null && starting && !this._gaveUp;
    if (pending && !this._pending) {
      this._timer = setTimeout(() => {
        this._gaveUp = true;
        this._update();
      }, PENDING_LIMIT_MS);
    }
    if (!pending) {
      clearTimeout(this._timer);
    }
    if (JSON.stringify(hardware) !== JSON.stringify(this._hardware) || pending !== this._pending) {
      this._hardware = hardware;
      this._pending = pending;
      this._changed.emit();
    }
  }

  private _hardware: IHardware | null = null;
  private _pending = false;
  private _gaveUp = false;
  private _timer: ReturnType<typeof setTimeout> | undefined = undefined;
  private _changed = new Signal<this, void>(this);
}
