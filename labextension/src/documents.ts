/**
 * The two kinds of document the findings panel works on — a notebook and a
 * Python file in the editor — behind one small interface, so that analysis and
 * fixes do not care which one they are given.
 */
import { DocumentRegistry, IDocumentWidget } from '@jupyterlab/docregistry';
import type { ICodeCellModel } from '@jupyterlab/cells';
import { FileEditor } from '@jupyterlab/fileeditor';
import { NotebookPanel } from '@jupyterlab/notebook';
import { ISignal, Signal } from '@lumino/signaling';

import { ICellSource } from './api';
import { IFixName, setCellSource } from './appliedFixes';

/** What is sent for analysis or refactoring. */
export type CodeSnapshot = { cells: ICellSource[] } | { text: string };

export interface ICellChange {
  index: number;
  id?: string | null;
  source: string;
}

export interface ICodeDocument {
  readonly kind: 'notebook' | 'file';
  /** Path relative to the server root (chooses the pyproject.toml settings). */
  readonly path: string;
  /** Emitted on every edit of the document's content. */
  readonly contentChanged: ISignal<ICodeDocument, void>;
  /** Emitted after the document was saved. */
  readonly saved: ISignal<ICodeDocument, void>;
  readonly isDisposed: boolean;
  snapshot(): CodeSnapshot;
  /**
   * Replace whole cell sources (notebook) through the shared model: undoable. `fix`
   * names the fix that wrote them, kept in each changed cell's metadata (appliedFixes.ts).
   */
  replaceCells(changes: ICellChange[], fix?: IFixName | null): void;
  /** Replace the whole text (file) through the shared model: undoable. */
  replaceText(text: string): void;
  /** Scroll to and select a cell (notebooks; files ignore it). */
  revealCell(index: number): void;
  /** The run count (In [n]) of the cell at this position (notebooks), or null. */
  executionCount?(index: number): number | null;
  dispose(): void;
}

abstract class DocumentBase implements ICodeDocument {
  abstract readonly kind: 'notebook' | 'file';

  constructor(protected readonly context: DocumentRegistry.Context) {
    context.model.contentChanged.connect(this._onContent, this);
    context.fileChanged.connect(this._onSaved, this);
  }

  get path(): string {
    return this.context.path;
  }

  get contentChanged(): ISignal<ICodeDocument, void> {
    return this._contentChanged;
  }

  get saved(): ISignal<ICodeDocument, void> {
    return this._saved;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  abstract snapshot(): CodeSnapshot;
  abstract replaceCells(changes: ICellChange[], fix?: IFixName | null): void;
  abstract replaceText(text: string): void;
  abstract revealCell(index: number): void;

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this.context.model.contentChanged.disconnect(this._onContent, this);
    this.context.fileChanged.disconnect(this._onSaved, this);
    Signal.clearData(this);
  }

  private _onContent(): void {
    this._contentChanged.emit();
  }

  private _onSaved(): void {
    this._saved.emit();
  }

  private _isDisposed = false;
  private _contentChanged = new Signal<ICodeDocument, void>(this);
  private _saved = new Signal<ICodeDocument, void>(this);
}

export class NotebookDocument extends DocumentBase {
  readonly kind = 'notebook';

  constructor(readonly panel: NotebookPanel) {
    super(panel.context);
  }

  snapshot(): CodeSnapshot {
    const cells: ICellSource[] = [];
    const model = this.panel.content.model;
    if (model) {
      for (let i = 0; i < model.cells.length; i++) {
        const cell = model.cells.get(i);
        cells.push({ cell_type: cell.type, source: cell.sharedModel.getSource(), id: cell.id });
      }
    }
    return { cells };
  }

  replaceCells(changes: ICellChange[], fix: IFixName | null = null): void {
    for (const change of changes) {
      const cell = this._cellFor(change);
      if (cell) {
        setCellSource(cell.sharedModel, change.source, fix);
      }
    }
  }

  replaceText(_text: string): void {
    throw new Error('A notebook is changed cell by cell: use replaceCells.');
  }

  executionCount(index: number): number | null {
    const cell = this.panel.content.model?.cells.get(index);
    const count = cell?.type === 'code' ? (cell as ICodeCellModel).executionCount : null;
    return typeof count === 'number' ? count : null;
  }

  revealCell(index: number): void {
    const notebook = this.panel.content;
    if (index < 0 || index >= notebook.widgets.length) {
      return;
    }
    notebook.activeCellIndex = index;
    void notebook.scrollToItem(index, 'smart');
  }

  /** Cells are found by id first: the notebook may have changed since the request. */
  private _cellFor(change: ICellChange) {
    const model = this.panel.content.model;
    if (!model) {
      return null;
    }
    if (change.id) {
      for (let i = 0; i < model.cells.length; i++) {
        if (model.cells.get(i).id === change.id) {
          return model.cells.get(i);
        }
      }
    }
    return change.index < model.cells.length ? model.cells.get(change.index) : null;
  }
}

export class FileDocument extends DocumentBase {
  readonly kind = 'file';

  constructor(readonly widget: IDocumentWidget<FileEditor>) {
    super(widget.context);
  }

  snapshot(): CodeSnapshot {
    return { text: this.widget.content.model.sharedModel.getSource() };
  }

  replaceCells(_changes: ICellChange[], _fix?: IFixName | null): void {
    throw new Error('A file is changed as a whole: use replaceText.');
  }

  replaceText(text: string): void {
    this.widget.content.model.sharedModel.setSource(text);
  }

  revealCell(_index: number): void {
    // Files have no cells.
  }
}

/** True for documents the analyzer understands (Python source). */
export function isPythonFile(path: string): boolean {
  return path.toLowerCase().endsWith('.py');
}
