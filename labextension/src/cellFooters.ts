/**
 * A footer under each profiled cell, like an execution-time footer: energy, CO2e and
 * duration of the cell's last run, and what that run says about the fix (or edit)
 * before it, with Undo fix when a fix made the cell worse (verdictView.tsx).
 */
import { Cell } from '@jupyterlab/cells';
import { NotebookPanel } from '@jupyterlab/notebook';
import { PanelLayout, Widget } from '@lumino/widgets';

import { AppliedFixes } from './appliedFixes';
import { KernelEnergy } from './energy';
import { approx, cellLabel, formatCo2, formatDuration, formatEnergy, isEstimate, methodLabel } from './format';
import { trans } from './i18n';
import { co2eGrams } from './liveView';
import { IProfileRecord } from './protocol';
import { canUndoFix, renderFooterVerdict } from './verdictView';

const FOOTER_CLASS = 'jp-GreenAssist-cellFooter';

class EnergyFooter extends Widget {
  constructor() {
    super();
    this.addClass(FOOTER_CLASS);
    this._figures.className = 'jp-GreenAssist-footerFigures';
    this._verdict.className = 'jp-GreenAssist-verdict jp-GreenAssist-footerVerdict';
    this.node.append(this._figures, this._verdict);
  }

  render(record: IProfileRecord, energy: KernelEnergy, cellName: string, undo: (() => void) | null): void {
    const method = record.energy_method;
    const co2 = co2eGrams(record.energy_j, energy.state?.carbon ?? null);
    const text =
      `⚡ ${approx(method)}${formatEnergy(record.energy_j)} · ${approx(method)}${formatCo2(co2)} ${trans.__('CO₂e')}` +
      ` · ${formatDuration(record.duration_s)}${record.status === 'error' ? ` · ${trans.__('error')}` : ''}`;
    if (this._figures.textContent !== text) {
      this._figures.textContent = text;
    }
    this._figures.title = trans.__('Last profiled run of this cell; energy %1', methodLabel(method));
    this._figures.classList.toggle('jp-GreenAssist-estimated', isEstimate(method));
    renderFooterVerdict(this._verdict, record, cellName, undo);
  }

  private _figures = document.createElement('div');
  private _verdict = document.createElement('div');
}

export class CellFooters {
  constructor(
    private _panel: NotebookPanel,
    private _energy: KernelEnergy,
    private _fixes: AppliedFixes | null = null
  ) {
    _energy.changed.connect(this.update, this);
    _panel.content.model?.cells.changed.connect(this.update, this);
    _fixes?.changed.connect(this.update, this);
    this.update();
  }

  update(): void {
    this._panel.content.widgets.forEach((cell, index) => {
      const record = this._energy.lastRecordFor(cell.model.id);
      const footer = this._footers.get(cell);
      if (record) {
        const fixes = this._fixes;
        const undo = fixes && canUndoFix(record, record, fixes) ? () => fixes.undo(cell.model.id) : null;
        const name = cellLabel(index, record.execution_count);
        (footer ?? this._attach(cell)).render(record, this._energy, name, undo);
      } else if (footer) {
        footer.dispose();
        this._footers.delete(cell);
      }
    });
  }

  dispose(): void {
    this._energy.changed.disconnect(this.update, this);
    this._panel.content.model?.cells.changed.disconnect(this.update, this);
    this._panel.content.model?.contentChanged.disconnect(this.update, this);
  }

  private _attach(cell: Cell): EnergyFooter {
    const footer = new EnergyFooter();
    (cell.layout as PanelLayout).addWidget(footer);
    this._footers.set(cell, footer);
    return footer;
  }

  private _footers = new WeakMap<Cell, EnergyFooter>();
}
