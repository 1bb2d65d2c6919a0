/**
 * What the sidebar follows: the notebook or Python file in focus, with the
 * models that belong to it (kernel link, energy, findings).
 */
import { IDocumentWidget } from '@jupyterlab/docregistry';
import { FileEditor } from '@jupyterlab/fileeditor';
import { NotebookPanel } from '@jupyterlab/notebook';
import { Title, Widget } from '@lumino/widgets';

import { analyzeSnapshot } from './api';
import { AppliedFixes } from './appliedFixes';
import { CellPositions } from './cellPositions';
import { FileDocument, NotebookDocument } from './documents';
import { KernelEnergy } from './energy';
import { FindingsModel, IAnalysisSettings } from './findings';
import { KernelBridge } from './kernelBridge';
import { KernelFacts } from './kernelFacts';

export interface IFollowed {
  readonly title: Title<Widget>;
  readonly bridge: KernelBridge | null;
  readonly energy: KernelEnergy | null;
  readonly findings: FindingsModel;
  /** Fixes applied to the notebook's cells (notebooks). */
  readonly fixes: AppliedFixes | null;
  /** Scroll to the cell with this id (notebooks). */
  revealCellById(cellId: string): void;
  /** The 0-based position of the cell with this id, or null (files, deleted cells). */
  cellIndexById(cellId: string | null): number | null;
  dispose(): void;
}

export class NotebookSession implements IFollowed {
  constructor(
    readonly panel: NotebookPanel,
    analysisSettings: IAnalysisSettings
  ) {
    this.bridge = new KernelBridge(panel.sessionContext);
    this.energy = new KernelEnergy(this.bridge);
    this.document = new NotebookDocument(panel);
    this.findings = new FindingsModel(this.document, analysisSettings, analyzeSnapshot);
    this.kernelFacts = new KernelFacts(
      this.bridge,
      this.energy,
      index => panel.content.model?.cells.get(index)?.id ?? null
    );
    this.findings.kernel = this.kernelFacts;
    this.fixes = new AppliedFixes(() => panel.content.model, this.bridge);
    this.positions = new CellPositions(this.bridge);
    const watch = () => {
      this.fixes.watch(panel.content.model);
      this.positions.watch(panel.content.model);
    };
    panel.content.modelChanged.connect(watch);
    watch();
  }

  get title(): Title<Widget> {
    return this.panel.title;
  }

  revealCellById(cellId: string): void {
    const index = this.cellIndexById(cellId);
    if (index !== null) {
      this.document.revealCell(index);
    }
  }

  cellIndexById(cellId: string | null): number | null {
    if (!cellId) {
      return null;
    }
    const index = this.panel.content.widgets.findIndex(cell => cell.model.id === cellId);
    return index >= 0 ? index : null;
  }

  dispose(): void {
    this.positions.dispose();
    this.fixes.dispose();
    this.findings.dispose();
    this.kernelFacts.dispose();
    this.document.dispose();
    this.energy.dispose();
    this.bridge.dispose();
  }

  readonly bridge: KernelBridge;
  readonly energy: KernelEnergy;
  readonly document: NotebookDocument;
  readonly findings: FindingsModel;
  readonly kernelFacts: KernelFacts;
  /** Fixes applied to this notebook's cells, and what the kernel knows of them. */
  readonly fixes: AppliedFixes;
  readonly positions: CellPositions;
}

export class EditorSession implements IFollowed {
  constructor(
    readonly widget: IDocumentWidget<FileEditor>,
    analysisSettings: IAnalysisSettings
  ) {
    this.document = new FileDocument(widget);
    this.findings = new FindingsModel(this.document, analysisSettings, analyzeSnapshot);
  }

  get title(): Title<Widget> {
    return this.widget.title;
  }

  readonly bridge = null;
  readonly energy = null;
  readonly fixes = null;

  revealCellById(_cellId: string): void {
    // Files have no cells.
  }

  cellIndexById(_cellId: string | null): number | null {
    return null;
  }

  dispose(): void {
    this.findings.dispose();
    this.document.dispose();
  }

  readonly document: FileDocument;
  readonly findings: FindingsModel;
}
