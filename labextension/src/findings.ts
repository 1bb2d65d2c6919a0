/**
 * Findings for one open document: analysed through POST /green-assist/analyze
 * (api.ts `analyzeSnapshot`), refreshed after edits (debounced) and on save.
 * Unchanged code is not re-sent, and an answer that a newer edit overtook is dropped.
 * A notebook's advice fits its kernel's machine (kernelFacts.ts): analysed again when
 * the kernel says which machine that is.
 */
import { ISignal, Signal } from '@lumino/signaling';

import type { IAnalysis, IFinding, IHardware, IRefactorContext } from './api';
import type { CodeSnapshot, ICodeDocument } from './documents';
import type { IKernelFacts } from './kernelFacts';
import { trans } from './i18n';

/** Sends a document's code for analysis (the server's analyzeSnapshot in the lab);
 * `hardware`: the machine the advice is for (null: any). */
export type Analyzer = (
  path: string,
  snapshot: CodeSnapshot,
  select: string[],
  ignore: string[],
  hardware: IHardware | null
) => Promise<IAnalysis>;

export interface IAnalysisSettings {
  select: string[];
  ignore: string[];
  delayMs: number;
  /** Options per refactor name, for the refactor that answers a finding. */
  refactorOptions: Record<string, Record<string, unknown>>;
}

/** `waiting`: for a starting kernel to say which machine the advice is for. */
export type FindingsStatus = 'idle' | 'waiting' | 'analyzing' | 'ready' | 'error';

export class FindingsModel {
  constructor(
    readonly document: ICodeDocument,
    private _settings: IAnalysisSettings,
    private _analyzer: Analyzer
  ) {
    document.contentChanged.connect(this._schedule, this);
    document.saved.connect(this._refreshNow, this);
    this.refresh();
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get status(): FindingsStatus {
    return this._status;
  }

  get error(): string | null {
    return this._error;
  }

  get analysis(): IAnalysis | null {
    return this._analysis;
  }

  get findings(): IFinding[] {
    return this._analysis?.findings ?? [];
  }

  /** Findings grouped by cell index (-1 for files and module-level findings). */
  byCell(): Map<number, IFinding[]> {
    const groups = new Map<number, IFinding[]>();
    for (const finding of this.findings) {
      const key = finding.cell ?? -1;
      const group = groups.get(key) ?? [];
      group.push(finding);
      groups.set(key, group);
    }
    return new Map([...groups.entries()].sort((a, b) => a[0] - b[0]));
  }

  /** Options per refactor name (the extension's settings), for Fix. */
  get refactorOptions(): Record<string, Record<string, unknown>> {
    return this._settings.refactorOptions;
  }

  /** The notebook's kernel: advice fits its machine, fixes get its profile of the cell. */
  set kernel(facts: IKernelFacts | null) {
    this._kernel?.changed.disconnect(this._onKernelChanged, this);
    this._kernel = facts;
    facts?.changed.connect(this._onKernelChanged, this);
    this._onKernelChanged();
  }

  /** The run count (In [n]) of the cell at this position now, for its label. */
  executionCount(cell: number): number | null {
    return this.document.executionCount?.(cell) ?? null;
  }

  /** What a refactor of this cell (0-based; null: the whole document) is told. */
  refactorContext(cell: number | null): IRefactorContext {
    return { hardware: this._kernel?.hardware ?? null, profile: this._kernel?.profileOf(cell) ?? null };
  }

  set settings(value: IAnalysisSettings) {
    this._settings = value;
    this._lastKey = null; // different rules: analyse again even if the code is the same
    this.refresh();
  }

  /** Analyse now, unless the code and settings are what was analysed last. */
  refresh(): void {
    void this._analyze();
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    clearTimeout(this._timer);
    this._kernel?.changed.disconnect(this._onKernelChanged, this);
    this.document.contentChanged.disconnect(this._schedule, this);
    this.document.saved.disconnect(this._refreshNow, this);
    Signal.clearData(this);
  }

  private _schedule(): void {
    clearTimeout(this._timer);
    this._timer = setTimeout(() => this.refresh(), this._settings.delayMs);
  }

  private _refreshNow(): void {
    clearTimeout(this._timer);
    this.refresh();
  }

  private _onKernelChanged(): void {
    if (this._kernel?.pending) {
      this._generation++; // an answer for another machine would be dropped anyway
      this._lastKey = null;
      this._status = 'waiting';
      this._changed.emit();
      return;
    }
    this.refresh(); // the key says whether the machine changed
  }

  private async _analyze(): Promise<void> {
    if (this._isDisposed || this.document.isDisposed || this._kernel?.pending) {
      return;
    }
    const snapshot = this.document.snapshot();
    const hardware = this._kernel?.hardware ?? null;
    const key = JSON.stringify(hardware) + snapshotKey(snapshot);
    if (key === this._lastKey) {
      return;
    }
    this._lastKey = key;
    const generation = ++this._generation;
    this._status = 'analyzing';
    this._changed.emit();
    const { select, ignore } = this._settings;
    try {
      const result = await this._analyzer(this.document.path, snapshot, select, ignore, hardware);
      if (generation !== this._generation || this._isDisposed) {
        return; // a newer edit was analysed meanwhile
      }
      this._analysis = result;
      this._error = null;
      this._status = 'ready';
    } catch (reason) {
      if (generation !== this._generation || this._isDisposed) {
        return;
      }
      this._lastKey = null; // try again on the next edit
      this._error = trans.__('Analysis failed: %1', (reason as Error).message ?? String(reason));
      this._status = 'error';
    }
    this._changed.emit();
  }

  private _kernel: IKernelFacts | null = null;
  private _analysis: IAnalysis | null = null;
  private _status: FindingsStatus = 'idle';
  private _error: string | null = null;
  private _lastKey: string | null = null;
  private _generation = 0;
  private _timer: ReturnType<typeof setTimeout> | undefined = undefined;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}

/** Only code matters: outputs and markdown edits do not trigger a new analysis. */
function snapshotKey(snapshot: CodeSnapshot): string {
  if ('text' in snapshot) {
    return snapshot.text;
  }
  return JSON.stringify(snapshot.cells.map(c => (c.cell_type === 'code' ? c.source : null)));
}
