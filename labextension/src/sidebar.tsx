/**
 * The "Green Assist" right-hand sidebar. It follows the notebook or Python file
 * in focus: the link to its kernel, live energy, per-cell costs and findings.
 */
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import { ISignal, Signal } from '@lumino/signaling';
import * as React from 'react';

import { CellsView } from './cellsView';
import { FindingsView } from './findingsView';
import { cellLabel } from './format';
import { trans } from './i18n';
import { leafIcon } from './icons';
import { ConnectionState, KernelBridge } from './kernelBridge';
import { LiveView } from './liveView';
import { IFollowed } from './sessions';

/** Which document (and so which models) the sidebar follows. */
export class SidebarModel {
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get followed(): IFollowed | null {
    return this._followed;
  }

  get bridge(): KernelBridge | null {
    return this._followed?.bridge ?? null;
  }

  get energy() {
    return this._followed?.energy ?? null;
  }

  /** The followed document's tab label (it changes on rename). */
  get documentName(): string | null {
    return this._followed?.title.label ?? null;
  }

  follow(followed: IFollowed | null): void {
    if (followed === this._followed) {
      return;
    }
    this._connect(this._followed, false);
    this._followed = followed;
    this._connect(followed, true);
    this._emit();
  }

  private _connect(followed: IFollowed | null, on: boolean): void {
    if (!followed) {
      return;
    }
    const signals: ISignal<unknown, unknown>[] = [followed.title.changed, followed.findings.changed];
    if (followed.bridge) {
      signals.push(followed.bridge.changed);
    }
    if (followed.energy) {
      signals.push(followed.energy.changed);
    }
    if (followed.fixes) {
      signals.push(followed.fixes.changed);
    }
    for (const signal of signals) {
      if (on) {
        signal.connect(this._emit, this);
      } else {
        signal.disconnect(this._emit, this);
      }
    }
  }

  private _emit(): void {
    this._changed.emit();
  }

  private _followed: IFollowed | null = null;
  private _changed = new Signal<this, void>(this);
}

function stateLabel(state: ConnectionState): string {
  const labels: Record<ConnectionState, string> = {
    'no-kernel': trans.__('No kernel'),
    'not-python': trans.__('Not a Python kernel'),
    connecting: trans.__('Connecting…'),
    connected: trans.__('Connected'),
    restarting: trans.__('Kernel restarting…'),
    failed: trans.__('Not connected'),
    dead: trans.__('Kernel dead')
  };
  return labels[state];
}

function ConnectionView(props: { bridge: KernelBridge }): JSX.Element {
  const { bridge } = props;
  const host = bridge.hello?.host;
  return (
    <section className="jp-GreenAssist-section" aria-label={trans.__('Kernel connection')}>
      <div className="jp-GreenAssist-connection" data-state={bridge.state} role="status">
        <span className="jp-GreenAssist-dot" aria-hidden="true" />
        <span className="jp-GreenAssist-state">{stateLabel(bridge.state)}</span>
        <span className="jp-GreenAssist-kernelName">{bridge.kernelDisplayName}</span>
      </div>
      {bridge.error && <p className="jp-GreenAssist-error">{bridge.error}</p>}
      {host && (
        <details className="jp-GreenAssist-hostDetails">
          <summary>
            <span data-field="hostname">{host.hostname}</span> · {host.cpu_count} CPU · {host.gpu_count} GPU
          </summary>
          <dl className="jp-GreenAssist-host">
            <dt>{trans.__('CPU')}</dt>
            <dd data-field="cpu" title={host.cpu_model}>
              {host.cpu_count} × {host.cpu_model}
            </dd>
            <dt>{trans.__('GPUs')}</dt>
            <dd data-field="gpus" title={host.gpu_reason ?? host.gpu_names.join(', ')}>
              {host.gpu_count > 0
                ? `${host.gpu_count} (${host.gpu_names.join(', ')})`
                : `0${host.gpu_reason ? ` — ${host.gpu_reason}` : ''}`}
            </dd>
            <dt>{trans.__('Kernel')}</dt>
            <dd data-field="kernel" data-pid={bridge.hello?.pid}>
              {trans.__('Python %1 · pid %2', host.python, bridge.hello?.pid)}
            </dd>
            <dt>green_assist</dt>
            <dd data-field="version">{bridge.hello?.version}</dd>
          </dl>
        </details>
      )}
    </section>
  );
}

function Section(props: { title: string; name: string; children: React.ReactNode }): JSX.Element {
  return (
    <details className="jp-GreenAssist-panel" data-section={props.name} open>
      <summary>{props.title}</summary>
      {props.children}
    </details>
  );
}

export interface ISidebarActions {
  toggleAuto(enabled: boolean): void;
  exportReport(options: { anonymize: boolean }): void;
}

function SidebarBody(props: { model: SidebarModel; actions: ISidebarActions }): JSX.Element {
  const { model, actions } = props;
  const followed = model.followed;
  if (!followed) {
    return (
      <p className="jp-GreenAssist-hint">
        {trans.__('Open a notebook to see its kernel’s energy use here, or a Python file to see its findings.')}
      </p>
    );
  }
  const findingsCount = followed.findings.findings.length;
  const cellName = (cellId: string | null, executionCount: number | null) =>
    cellLabel(followed.cellIndexById(cellId), executionCount);
  return (
    <>
      <div className="jp-GreenAssist-notebook" title={model.documentName ?? ''}>
        {model.documentName}
      </div>
      {followed.bridge && <ConnectionView bridge={followed.bridge} />}
      {followed.energy && (
        <>
          <Section title={trans.__('Energy')} name="energy">
            <LiveView
              energy={followed.energy}
              cellName={cellName}
              onToggleAuto={actions.toggleAuto}
              onExport={actions.exportReport}
            />
          </Section>
          <Section title={trans.__('Cells')} name="cells">
            <CellsView
              energy={followed.energy}
              cellName={cellName}
              fixes={followed.fixes}
              revealCell={id => followed.revealCellById(id)}
            />
          </Section>
        </>
      )}
      <Section title={findingsCount ? trans.__('Findings (%1)', findingsCount) : trans.__('Findings')} name="findings">
        <FindingsView model={followed.findings} />
      </Section>
    </>
  );
}

/** The sidebar widget's id (the status-bar item opens it by id). */
export const SIDEBAR_ID = 'green-assist-sidebar';

export class GreenAssistSidebar extends ReactWidget {
  constructor(
    readonly model: SidebarModel,
    private _actions: ISidebarActions
  ) {
    super();
    this.id = SIDEBAR_ID;
    this.addClass('jp-GreenAssist-sidebar');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', trans.__('Green Assist'));
    this.title.icon = leafIcon;
    this.title.caption = trans.__('Green Assist');
  }

  render(): JSX.Element {
    return (
      <div className="jp-GreenAssist-body">
        <header className="jp-GreenAssist-header">
          <h2>{trans.__('Green Assist')}</h2>
        </header>
        <UseSignal signal={this.model.changed}>
          {() => <SidebarBody model={this.model} actions={this._actions} />}
        </UseSignal>
      </div>
    );
  }
}
