/**
 * One KernelBridge per notebook: keeps the green_assist comm to that notebook's
 * kernel alive across kernel changes and restarts.
 *
 * Order matters: the comm target is registered *before* the kernel side is
 * loaded, because the kernel opens the comm as soon as it is told to connect.
 */
import { ISessionContext } from '@jupyterlab/apputils';
import { Kernel, KernelMessage } from '@jupyterlab/services';
import { JSONObject } from '@lumino/coreutils';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { COMM_TARGET, IHelloMessage, IKernelMessage, isHello, KERNEL_BOOTSTRAP } from './protocol';
import { trans } from './i18n';

export type ConnectionState =
  'no-kernel' | 'not-python' | 'connecting' | 'connected' | 'restarting' | 'failed' | 'dead';

export class KernelBridge implements IDisposable {
  constructor(readonly sessionContext: ISessionContext) {
    sessionContext.kernelChanged.connect(this._onKernelChanged, this);
    void this._attach(sessionContext.session?.kernel ?? null);
  }

  /** Emitted whenever state, hello or error change. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Every message the kernel sends on the comm, hello included. */
  get messageReceived(): ISignal<this, IKernelMessage> {
    return this._messageReceived;
  }

  get state(): ConnectionState {
    return this._state;
  }

  /** What the kernel said about itself; null until the first hello. */
  get hello(): IHelloMessage | null {
    return this._hello;
  }

  /** Why the connection failed, in words a user can act on. */
  get error(): string | null {
    return this._error;
  }

  get kernelDisplayName(): string {
    return this.sessionContext.kernelDisplayName;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Send a message to the kernel side; false when not connected. */
  send(data: IKernelMessage): boolean {
    if (!this._comm || this._comm.isDisposed) {
      return false;
    }
    this._comm.send(data as unknown as JSONObject);
    return true;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this.sessionContext.kernelChanged.disconnect(this._onKernelChanged, this);
    this._detach();
    Signal.clearData(this);
  }

  private _onKernelChanged(_sender: ISessionContext, change: { newValue: Kernel.IKernelConnection | null }): void {
    void this._attach(change.newValue);
  }

  private _detach(): void {
    if (this._kernel) {
      this._kernel.statusChanged.disconnect(this._onStatus, this);
      if (!this._kernel.isDisposed) {
        this._kernel.removeCommTarget(COMM_TARGET, this._onCommOpen);
      }
    }
    this._kernel = null;
    this._comm = null;
  }

  private async _attach(kernel: Kernel.IKernelConnection | null): Promise<void> {
    this._detach();
    this._hello = null;
    this._error = null;
    if (!kernel) {
      this._setState('no-kernel');
      return;
    }
    this._kernel = kernel;
    kernel.statusChanged.connect(this._onStatus, this);
    if (kernel.status === 'idle' || kernel.status === 'busy') {
      await this._load(kernel);
    } else {
      // Starting or restarting: a request sent now can be lost with the old
      // process. Load once the kernel reports idle.
      this._needsReload = true;
      this._setState(kernel.status === 'dead' ? 'dead' : 'connecting');
    }
  }

  /** Register the comm target, then load the kernel side silently. */
  private async _load(kernel: Kernel.IKernelConnection): Promise<void> {
    this._setState('connecting');
    let language = '';
    try {
      language = (await kernel.info).language_info.name;
    } catch (reason) {
      this._fail(trans.__('The kernel did not answer: %1', String(reason)));
      return;
    }
    if (kernel !== this._kernel) {
      return; // the kernel changed while we waited
    }
    if (language.toLowerCase() !== 'python') {
      this._setState('not-python');
      return;
    }
    kernel.registerCommTarget(COMM_TARGET, this._onCommOpen);
    let reply: KernelMessage.IExecuteReplyMsg;
    try {
      const future = kernel.requestExecute({ code: KERNEL_BOOTSTRAP, silent: true, store_history: false }, true);
      reply = await future.done;
    } catch (reason) {
      this._fail(trans.__('Loading green_assist in the kernel failed: %1', String(reason)));
      return;
    }
    if (kernel !== this._kernel) {
      return;
    }
    const content = reply.content;
    if (content.status === 'error') {
      const missing = content.ename === 'ModuleNotFoundError';
      this._fail(
        missing
          ? trans.__(
              'green_assist is not installed in this kernel’s environment. Install it there (pip install green-assist) and restart the kernel.'
            )
          : trans.__('Loading green_assist in the kernel failed: %1: %2', content.ename, content.evalue)
      );
    }
  }

  private _onCommOpen = (comm: Kernel.IComm, openMsg: KernelMessage.ICommOpenMsg): void => {
    this._comm = comm;
    comm.onMsg = (msg: KernelMessage.ICommMsgMsg) => {
      this._receive(msg.content.data as unknown as IKernelMessage);
    };
    comm.onClose = () => {
      if (this._comm === comm) {
        this._comm = null;
        if (this._state === 'connected') {
          this._setState('connecting');
        }
      }
    };
    this._receive(openMsg.content.data as unknown as IKernelMessage);
  };

  private _receive(msg: IKernelMessage): void {
    if (isHello(msg)) {
      this._hello = msg;
      this._error = null;
      this._setState('connected');
    }
    this._messageReceived.emit(msg);
  }

  private _onStatus(kernel: Kernel.IKernelConnection, status: Kernel.Status): void {
    if (status === 'restarting' || status === 'autorestarting') {
      this._comm = null;
      this._hello = null;
      this._needsReload = true;
      this._setState('restarting');
    } else if (status === 'dead') {
      this._comm = null;
      this._setState('dead');
    } else if (status === 'idle' && this._needsReload) {
      // A (re)started kernel has forgotten the extension: load it now.
      this._needsReload = false;
      void this._load(kernel);
    }
  }

  private _fail(message: string): void {
    this._error = message;
    this._setState('failed');
  }

  private _setState(state: ConnectionState): void {
    this._state = state;
    this._changed.emit();
  }

  private _kernel: Kernel.IKernelConnection | null = null;
  private _comm: Kernel.IComm | null = null;
  private _state: ConnectionState = 'no-kernel';
  private _hello: IHelloMessage | null = null;
  private _error: string | null = null;
  private _needsReload = false;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
  private _messageReceived = new Signal<this, IKernelMessage>(this);
}
