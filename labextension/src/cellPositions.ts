/**
 * Tells a notebook's kernel where each cell is (`profile_cell_positions`: 0-based
 * position by cell id), when it connects and when cells are added, removed or moved, so
 * that its records (and reports) name cells as the sidebar does: "cell 6 · In [4]".
 */
import { INotebookModel } from '@jupyterlab/notebook';
import { IDisposable } from '@lumino/disposable';

import { KernelBridge } from './kernelBridge';
import { cellPositionsMessage, IKernelMessage, isHello } from './protocol';

export class CellPositions implements IDisposable {
  constructor(private _bridge: KernelBridge) {
    _bridge.messageReceived.connect(this._onMessage, this);
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Call when the notebook model exists (and again when it is replaced). */
  watch(model: INotebookModel | null): void {
    this._model?.cells.changed.disconnect(this._send, this);
    this._model = model;
    model?.cells.changed.connect(this._send, this);
    this._send();
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._model?.cells.changed.disconnect(this._send, this);
    this._bridge.messageReceived.disconnect(this._onMessage, this);
  }

  private _onMessage(_sender: KernelBridge, msg: IKernelMessage): void {
    if (isHello(msg)) {
      this._sent = null; // a new kernel, or a new comm: it knows nothing yet
      this._send();
    }
  }

  private _send(): void {
    const cells = this._model?.cells;
    if (!cells) {
      return;
    }
    const positions: Record<string, number> = {};
    for (let i = 0; i < cells.length; i++) {
      positions[cells.get(i).id] = i;
    }
    const key = JSON.stringify(positions);
    if (key !== this._sent && this._bridge.send(cellPositionsMessage(positions))) {
      this._sent = key;
    }
  }

  private _model: INotebookModel | null = null;
  private _sent: string | null = null;
  private _isDisposed = false;
}
