/**
 * What the sidebar follows: the notebook or Python file in focus, with the
 * models that belong to it (kernel link, energy, findings).
 */
import { IDocumentWidget } from '@jupyterlab/docregistry';
import { FileEditor } from '@jupyterlab/fileeditor';
import { NotebookPanel } from '@jupyterlab/notebook';
import { Title, Widget } from '@lumino/widgets';

import { analyzeSnapshot } from './api';
import { FileDocument, NotebookDocument } from './documents';
import { KernelEnergy } from './energy';
import { FindingsModel, IAnalysisSettings } from './findings';
import { KernelBridge } from './kernelBridge';

export interface IFollowed {
  readonly title: Title<Widget>;
  readonly bridge: KernelBridge | null;
  readonly energy: KernelEnergy | null;
  readonly findings: FindingsModel;
  /** Scroll to the cell with this id (notebooks). */
  revealCellById(cellId: string): void;
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
  }

  get title(): Title<Widget> {
    return this.panel.title;
  }

  revealCellById(cellId: string): void {
    const cells = this.panel.content.widgets;
    const index = cells.findIndex(cell => cell.model.id === cellId);
    if (index >= 0) {
      this.document.revealCell(index);
    }
  }

  dispose(): void {
    this.findings.dispose();
    this.document.dispose();
    this.energy.dispose();
    this.bridge.dispose();
  }

  readonly bridge: KernelBridge;
  readonly energy: KernelEnergy;
  readonly document: NotebookDocument;
  readonly findings: FindingsModel;
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

  revealCellById(_cellId: string): void {
    // Files have no cells.
  }

  dispose(): void {
    this.findings.dispose();
    this.document.dispose();
  }

  readonly document: FileDocument;
  readonly findings: FindingsModel;
}
