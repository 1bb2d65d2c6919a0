/**
 * Fixes applied from the sidebar to notebook cells, and what the kernel is told about
 * them. Each fix lives in its cell's metadata, `green_assist.fix` =
 * `{refactor, title, previous_source, measured}`, written through the shared model in
 * the same step as the new code (Ctrl+Z in the cell takes both back), so it survives a
 * page reload and a kernel restart.
 *
 * The metadata is the one source of truth; the kernel follows it: a fix not yet measured
 * is announced (`profile_fix_applied`), again whenever the kernel (re)connects, so that
 * the cell's next run names it (`record.previous_run.refactor`) and the sidebar can say
 * what it did. A fix whose metadata goes before that run (Ctrl+Z, Undo fix, a deleted
 * cell) is withdrawn (`profile_fix_undone`). The run that follows a fix marks it
 * measured; the run after that makes it history (the metadata goes).
 */
import type { PartialJSONObject, PartialJSONValue } from '@lumino/coreutils';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import type { IKernelLink } from './energy';
import {
  fixAppliedMessage,
  fixUndoneMessage,
  IKernelMessage,
  IProfileRecord,
  IRecordMessage,
  ISessionState,
  isHello,
  PROFILE_RECORD
} from './protocol';

/** The cell metadata key of everything green_assist keeps in a cell. */
export const METADATA_KEY = 'green_assist';

/** Which fix: the refactor's name (or the rule's code, for a rule's own edits) and its title. */
export interface IFixName {
  refactor: string;
  title: string;
}

export interface IAppliedFix extends IFixName {
  /** The cell's code before the fix (what Undo fix puts back). */
  previous_source: string;
  /** Whether the cell ran since, so that its record says what the fix did. */
  measured: boolean;
}

/** What fixes use of a cell's shared model (JupyterLab's ISharedCell). */
export interface ISharedCellLike {
  getSource(): string;
  setSource(value: string): void;
  getMetadata(key: string): PartialJSONValue | undefined;
  setMetadata(key: string, value: PartialJSONValue): void;
  deleteMetadata(key: string): void;
  transact(change: () => void, undoable?: boolean): void;
}
type SharedCell = ISharedCellLike;

/** What fixes use of a notebook model (JupyterLab's INotebookModel): its cells, and a
 * signal on every change of their code or metadata. */
export interface INotebookLike {
  readonly cells: { readonly length: number; get(index: number): ICellLike };
  readonly contentChanged: ISignal<unknown, void>;
}
interface ICellLike {
  readonly id: string;
  readonly sharedModel: SharedCell;
}

/** The comm to the kernel, as fixes use it. */
export type FixLink = Pick<IKernelLink, 'messageReceived' | 'send'>;

/** The fix applied to a cell, or null (metadata another version wrote is ignored). */
export function readFix(cell: SharedCell): IAppliedFix | null {
  const ours = cell.getMetadata(METADATA_KEY) as { fix?: Partial<IAppliedFix> } | undefined;
  const fix = ours?.fix;
  if (
    !fix ||
    typeof fix.refactor !== 'string' ||
    typeof fix.title !== 'string' ||
    typeof fix.previous_source !== 'string'
  ) {
    return null;
  }
  return { refactor: fix.refactor, title: fix.title, previous_source: fix.previous_source, measured: !!fix.measured };
}

function writeFix(cell: SharedCell, fix: IAppliedFix | null): void {
  const ours = { ...((cell.getMetadata(METADATA_KEY) as PartialJSONObject | undefined) ?? {}) };
  if (fix) {
    ours.fix = { ...fix };
  } else {
    delete ours.fix;
  }
  if (Object.keys(ours).length > 0) {
    cell.setMetadata(METADATA_KEY, ours);
  } else {
    cell.deleteMetadata(METADATA_KEY);
  }
}

/**
 * Put `source` into the cell, and with it (one undoable step) the fix that wrote it.
 * Two fixes before a run keep the code of the last run as `previous_source`: the run
 * after them is compared with that one.
 */
export function setCellSource(cell: SharedCell, source: string, fix: IFixName | null): void {
  const before = cell.getSource();
  if (before === source) {
    return;
  }
  cell.transact(() => {
    cell.setSource(source);
    if (fix) {
      const pending = readFix(cell);
      const previous = pending && !pending.measured ? pending.previous_source : before;
      writeFix(cell, { refactor: fix.refactor, title: fix.title, previous_source: previous, measured: false });
    }
  });
}

/** Bookkeeping that is no user action: not on the cell's undo stack. */
function quietly(cell: SharedCell, change: () => void): void {
  cell.transact(change, false);
}

export class AppliedFixes implements IDisposable {
  constructor(
    private _model: () => INotebookLike | null,
    private _bridge: FixLink
  ) {
    _bridge.messageReceived.connect(this._onMessage, this);
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Emitted when a fix is applied, measured, undone or forgotten. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Call when the notebook model exists (and again when it is replaced). */
  watch(model: INotebookLike | null): void {
    this._watched?.contentChanged.disconnect(this._sync, this);
    this._watched = model;
    model?.contentChanged.connect(this._sync, this);
    this._sync();
  }

  /** The fix applied to the cell with this id, or null. */
  fixOf(cellId: string | null): IAppliedFix | null {
    const cell = cellId ? this._cell(cellId) : null;
    return cell ? readFix(cell.sharedModel) : null;
  }

  /** Undo fix: the code from before the fix back in the cell (undoable), the fix forgotten. */
  undo(cellId: string): boolean {
    const cell = this._cell(cellId);
    const fix = cell ? readFix(cell.sharedModel) : null;
    if (!cell || !fix) {
      return false;
    }
    const shared = cell.sharedModel;
    shared.transact(() => {
      shared.setSource(fix.previous_source);
      writeFix(shared, null);
    });
    this._told.delete(cellId);
    this._bridge.send(fixUndoneMessage(cellId));
    return true;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._watched?.contentChanged.disconnect(this._sync, this);
    this._bridge.messageReceived.disconnect(this._onMessage, this);
    Signal.clearData(this);
  }

  private _cell(cellId: string): ICellLike | null {
    const cells = this._model()?.cells;
    if (!cells) {
      return null;
    }
    for (let i = 0; i < cells.length; i++) {
      if (cells.get(i).id === cellId) {
        return cells.get(i);
      }
    }
    return null;
  }

  /** Every cell with a fix, by id. */
  private _fixes(): Map<string, { cell: ICellLike; fix: IAppliedFix }> {
    const found = new Map<string, { cell: ICellLike; fix: IAppliedFix }>();
    const cells = this._model()?.cells;
    for (let i = 0; cells && i < cells.length; i++) {
      const cell = cells.get(i);
      const fix = readFix(cell.sharedModel);
      if (fix) {
        found.set(cell.id, { cell, fix });
      }
    }
    return found;
  }

  /** Tell the kernel what changed in the fixes not measured yet. */
  private _sync(): void {
    const fixes = this._fixes();
    const pending = new Map<string, IFixName>();
    for (const [id, { fix }] of fixes) {
      if (!fix.measured) {
        pending.set(id, fix);
      }
    }
    const key = JSON.stringify([...fixes].map(([id, { fix }]) => [id, fix.refactor, fix.measured]));
    if (key !== this._key) {
      this._key = key;
      this._changed.emit();
    }
    for (const [id, fix] of pending) {
      const told = this._told.get(id);
      if ((!told || told.refactor !== fix.refactor) && this._bridge.send(fixAppliedMessage(id, fix))) {
        this._told.set(id, fix);
      }
    }
    for (const id of [...this._told.keys()]) {
      if (!pending.has(id)) {
        this._told.delete(id);
        if (!this.fixOf(id)) {
          this._bridge.send(fixUndoneMessage(id)); // taken back before the cell ran
        }
      }
    }
  }

  private _onMessage(_sender: unknown, msg: IKernelMessage): void {
    if (isHello(msg)) {
      // A new kernel (or the same one after a page reload) knows nothing of ours; fixes
      // whose run it already recorded are measured, the others are told again.
      const state = msg.profiler as ISessionState | undefined;
      for (const record of state?.recent ?? []) {
        this._measuredBy(record, true);
      }
      this._told.clear();
      this._sync();
    } else if (msg.type === PROFILE_RECORD) {
      this._measuredBy((msg as unknown as IRecordMessage).record, false);
    }
  }

  /**
   * A run of a cell with a fix: the first run after it measures it (the kernel named it
   * in `previous_run.refactor`); a later run makes it history. `replayed`: a record the
   * kernel kept from before this page connected, which only counts when it names the fix.
   */
  private _measuredBy(record: IProfileRecord, replayed: boolean): void {
    const cell = record.cell_id ? this._cell(record.cell_id) : null;
    const fix = cell ? readFix(cell.sharedModel) : null;
    if (!cell || !fix) {
      return;
    }
    const names = record.previous_run?.refactor?.name === fix.refactor;
    const shared = cell.sharedModel;
    if (!fix.measured && (names || !replayed)) {
      quietly(shared, () => writeFix(shared, { ...fix, measured: true }));
    } else if (fix.measured && !names && !replayed) {
      quietly(shared, () => writeFix(shared, null));
    }
  }

  private _watched: INotebookLike | null = null;
  /** The fixes the kernel was told of and not told to forget, by cell id. */
  private _told = new Map<string, IFixName>();
  private _key = '';
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}
