/**
 * The "Green Assist" right-hand sidebar. It shows the notebook in focus: the
 * state of the link to its kernel and what the kernel said about its machine.
 */
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import { ISignal, Signal } from '@lumino/signaling';
import { Title, Widget } from '@lumino/widgets';
import * as React from 'react';

import { leafIcon } from './icons';
import { ConnectionState, KernelBridge } from './kernelBridge';

/** Which notebook (and so which bridge) the sidebar follows. */
export class SidebarModel {
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get bridge(): KernelBridge | null {
    return this._bridge;
  }

  /** The followed notebook's tab label (it changes on rename). */
  get notebookName(): string | null {
    return this._title?.label ?? null;
  }

  follow(bridge: KernelBridge | null, title: Title<Widget> | null): void {
    this._bridge?.changed.disconnect(this._emit, this);
    this._title?.changed.disconnect(this._emit, this);
    this._bridge = bridge;
    this._title = title;
    bridge?.changed.connect(this._emit, this);
    title?.changed.connect(this._emit, this);
    this._emit();
  }

  private _emit(): void {
    this._changed.emit();
  }

  private _bridge: KernelBridge | null = null;
  private _title: Title<Widget> | null = null;
  private _changed = new Signal<this, void>(this);
}

const STATE_LABELS: Record<ConnectionState, string> = {
  'no-kernel': 'No kernel',
  'not-python': 'Not a Python kernel',
  connecting: 'Connecting…',
  connected: 'Connected',
  restarting: 'Kernel restarting…',
  failed: 'Not connected',
  dead: 'Kernel dead'
};

function ConnectionView(props: { model: SidebarModel }): JSX.Element {
  const { bridge, notebookName } = props.model;
  if (!bridge) {
    return (
      <p className="jp-GreenAssist-hint">
        Open a notebook to see its kernel's energy use here.
      </p>
    );
  }
  const state = bridge.state;
  const host = bridge.hello?.host;
  return (
    <section className="jp-GreenAssist-section" aria-label="Kernel connection">
      <div className="jp-GreenAssist-notebook" title={notebookName ?? ''}>
        {notebookName}
      </div>
      <div className="jp-GreenAssist-connection" data-state={state}>
        <span className="jp-GreenAssist-dot" aria-hidden="true" />
        <span className="jp-GreenAssist-state">{STATE_LABELS[state]}</span>
        <span className="jp-GreenAssist-kernelName">{bridge.kernelDisplayName}</span>
      </div>
      {bridge.error && <p className="jp-GreenAssist-error">{bridge.error}</p>}
      {host && (
        <dl className="jp-GreenAssist-host">
          <dt>Host</dt>
          <dd data-field="hostname">{host.hostname}</dd>
          <dt>CPU</dt>
          <dd data-field="cpu" title={host.cpu_model}>
            {host.cpu_count} × {host.cpu_model}
          </dd>
          <dt>GPUs</dt>
          <dd data-field="gpus" title={host.gpu_reason ?? host.gpu_names.join(', ')}>
            {host.gpu_count > 0
              ? `${host.gpu_count} (${host.gpu_names.join(', ')})`
              : `0${host.gpu_reason ? ` — ${host.gpu_reason}` : ''}`}
          </dd>
          <dt>Kernel</dt>
          <dd data-field="kernel" data-pid={bridge.hello?.pid}>
            Python {host.python} · pid {bridge.hello?.pid}
          </dd>
          <dt>green_assist</dt>
          <dd data-field="version">{bridge.hello?.version}</dd>
        </dl>
      )}
    </section>
  );
}

export class GreenAssistSidebar extends ReactWidget {
  constructor(readonly model: SidebarModel) {
    super();
    this.id = 'green-assist-sidebar';
    this.addClass('jp-GreenAssist-sidebar');
    this.title.icon = leafIcon;
    this.title.caption = 'Green Assist';
  }

  render(): JSX.Element {
    return (
      <div className="jp-GreenAssist-body">
        <header className="jp-GreenAssist-header">
          <h2>Green Assist</h2>
        </header>
        <UseSignal signal={this.model.changed}>
          {() => <ConnectionView model={this.model} />}
        </UseSignal>
      </div>
    );
  }
}
