/**
 * Status-bar item: live watts of the kernel in focus while a profiled cell runs,
 * the session energy otherwise. Clicking it opens the sidebar.
 */
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { formatEnergy, formatPower, isEstimate, leastCertain, methodLabel } from './format';
import { trans } from './i18n';
import { SidebarModel } from './sidebar';

function StatusText(props: { model: SidebarModel }): JSX.Element | null {
  const energy = props.model.energy;
  if (!energy || !energy.state) {
    return null;
  }
  const running = energy.running;
  if (running) {
    const method = leastCertain(Object.values(running.power).map(p => p.method));
    return (
      <span
        className={isEstimate(method) ? 'jp-GreenAssist-estimated' : ''}
        data-field="status-power"
        title={trans.__('Power of this kernel’s running cell: %1', methodLabel(method))}
      >
        ⚡ {isEstimate(method) ? '≈' : ''}
        {formatPower(running.power_w)}
      </span>
    );
  }
  const totals = energy.state.totals;
  return (
    <span
      data-field="status-energy"
      title={trans.__('Energy of this kernel’s profiled cells: %1', methodLabel(totals.energy_method))}
    >
      ⚡ {isEstimate(totals.energy_method) ? '≈' : ''}
      {formatEnergy(totals.energy_j)}
    </span>
  );
}

export class GreenStatusItem extends ReactWidget {
  constructor(
    private _model: SidebarModel,
    private _open: () => void
  ) {
    super();
    this.addClass('jp-GreenAssist-status');
    this.node.setAttribute('role', 'button');
    this.node.setAttribute('aria-label', trans.__('Green Assist energy: open the sidebar'));
    this.node.tabIndex = 0;
    this.node.addEventListener('click', () => this._open());
    this.node.addEventListener('keydown', event => {
      if (event.key === 'Enter' || event.key === ' ') {
        this._open();
      }
    });
  }

  render(): JSX.Element {
    return <UseSignal signal={this._model.changed}>{() => <StatusText model={this._model} />}</UseSignal>;
  }
}
