/**
 * A one-line energy footer under each profiled cell, like an execution-time
 * footer: energy, CO2e and duration of the cell's last run.
 */
import { Cell } from '@jupyterlab/cells';
import { NotebookPanel } from '@jupyterlab/notebook';
import { PanelLayout, Widget } from '@lumino/widgets';

import { KernelEnergy } from './energy';
import { approx, formatCo2, formatDuration, formatEnergy, isEstimate, methodLabel } from './format';
import { co2eGrams } from './liveView';
import { IProfileRecord } from './protocol';

const FOOTER_CLASS = 'jp-GreenAssist-cellFooter';

class EnergyFooter extends Widget {
  constructor() {
    super();
    this.addClass(FOOTER_CLASS);
  }

  render(record: IProfileRecord, energy: KernelEnergy): void {
    const method = record.energy_method;
    const co2 = co2eGrams(record.energy_j, energy.state?.carbon ?? null);
    const text =
      `⚡ ${approx(method)}${formatEnergy(record.energy_j)} · ${approx(method)}${formatCo2(co2)} CO₂e` +
      ` · ${formatDuration(record.duration_s)}${record.status === 'error' ? ' · error' : ''}`;
    if (this.node.textContent !== text) {
      this.node.textContent = text;
    }
    this.node.title = `Last profiled run of this cell; energy ${methodLabel(method)}`;
    this.node.classList.toggle('jp-GreenAssist-estimated', isEstimate(method));
  }
}

export class CellFooters {
  constructor(
    private _panel: NotebookPanel,
    private _energy: KernelEnergy
  ) {
    _energy.changed.connect(this.update, this);
    _panel.content.model?.cells.changed.connect(this.update, this);
    this.update();
  }

  update(): void {
    for (const cell of this._panel.content.widgets) {
      const record = this._energy.lastRecordFor(cell.model.id);
      const footer = this._footers.get(cell);
      if (record) {
        (footer ?? this._attach(cell)).render(record, this._energy);
      } else if (footer) {
        footer.dispose();
        this._footers.delete(cell);
      }
    }
  }

  dispose(): void {
    this._energy.changed.disconnect(this.update, this);
    this._panel.content.model?.cells.changed.disconnect(this.update, this);
  }

  private _attach(cell: Cell): EnergyFooter {
    const footer = new EnergyFooter();
    (cell.layout as PanelLayout).addWidget(footer);
    this._footers.set(cell, footer);
    return footer;
  }

  private _footers = new WeakMap<Cell, EnergyFooter>();
}
