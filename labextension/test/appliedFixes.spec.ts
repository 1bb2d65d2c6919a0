import type { PartialJSONValue } from '@lumino/coreutils';
import { Signal } from '@lumino/signaling';

import { AppliedFixes, INotebookLike, ISharedCellLike, readFix, setCellSource } from '../src/appliedFixes';
import type { IKernelMessage, IProfileRecord } from '../src/protocol';

/** A cell's shared model in memory, with an undo stack of its undoable steps (Ctrl+Z). */
class Cell implements ISharedCellLike {
  constructor(
    readonly notebook: Notebook,
    private _source: string
  ) {}

  getSource(): string {
    return this._source;
  }

  setSource(value: string): void {
    this._change(() => (this._source = value));
  }

  getMetadata(key: string): PartialJSONValue | undefined {
    const value = this._metadata.get(key);
    return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  }

  setMetadata(key: string, value: PartialJSONValue): void {
    this._change(() => this._metadata.set(key, JSON.parse(JSON.stringify(value))));
  }

  deleteMetadata(key: string): void {
    this._change(() => this._metadata.delete(key));
  }

  transact(change: () => void, undoable = true): void {
    if (this._inside) {
      change();
      return;
    }
    const before = this._state();
    this._inside = true;
    try {
      change();
    } finally {
      this._inside = false;
    }
    if (undoable) {
      this._undo.push(before);
    }
    this.notebook.contentChanged.emit();
  }

  /** Ctrl+Z: the last undoable step taken back (source and metadata alike). */
  undo(): void {
    const state = this._undo.pop();
    if (state) {
      this._source = state.source;
      this._metadata = new Map(Object.entries(JSON.parse(state.metadata)));
      this.notebook.contentChanged.emit();
    }
  }

  private _change(change: () => void): void {
    this.transact(change);
  }

  private _state() {
    return { source: this._source, metadata: JSON.stringify(Object.fromEntries(this._metadata)) };
  }

  private _metadata = new Map<string, PartialJSONValue>();
  private _undo: { source: string; metadata: string }[] = [];
  private _inside = false;
}

class Notebook implements INotebookLike {
  readonly contentChanged: Signal<Notebook, void> = new Signal<Notebook, void>(this);
  readonly list: { id: string; sharedModel: Cell }[] = [];
  readonly cells = ((list: { id: string; sharedModel: Cell }[]) => ({
    get length(): number {
      return list.length;
    },
    get: (index: number) => list[index]
  }))(this.list);

  add(id: string, source: string): Cell {
    const cell = new Cell(this, source);
    this.list.push({ id, sharedModel: cell });
    this.contentChanged.emit();
    return cell;
  }
}

/** The comm: what the sidebar sent, and messages from the kernel. */
class Link {
  readonly messageReceived: Signal<Link, IKernelMessage> = new Signal<Link, IKernelMessage>(this);
  readonly sent: IKernelMessage[] = [];
  connected = true;

  send(data: IKernelMessage): boolean {
    if (this.connected) {
      this.sent.push(data);
    }
    return this.connected;
  }

  hello(recent: IProfileRecord[] = []): void {
    this.messageReceived.emit({ type: 'hello', host: {}, profiler: { recent } } as unknown as IKernelMessage);
  }

  record(record: IProfileRecord): void {
    this.messageReceived.emit({ type: 'profile_record', record } as unknown as IKernelMessage);
  }

  types(): string[] {
    return this.sent.map(m => `${m.type} ${m.cell_id}${m.refactor ? ` ${m.refactor}` : ''}`);
  }
}

function run(cellId: string, refactor: string | null): IProfileRecord {
  return {
    cell_id: cellId,
    previous_run: refactor ? { refactor: { name: refactor, title: refactor } } : { refactor: null }
  } as unknown as IProfileRecord;
}

const MIXED = { refactor: 'mixed-precision', title: 'Convert to mixed precision' };

function setUp() {
  const notebook = new Notebook();
  const cell = notebook.add('train', 'for x in data:\n    step(x)\n');
  const link = new Link();
  const fixes = new AppliedFixes(() => notebook, link);
  fixes.watch(notebook);
  return { notebook, cell, link, fixes };
}

describe('fixes applied to notebook cells', () => {
  it('keeps the fix with the new code and tells the kernel once', () => {
    const { cell, link } = setUp();
    setCellSource(cell, 'with autocast():\n    ...\n', MIXED);
    expect(cell.getSource()).toBe('with autocast():\n    ...\n');
    expect(readFix(cell)).toEqual({ ...MIXED, previous_source: 'for x in data:\n    step(x)\n', measured: false });
    expect(link.types()).toEqual(['profile_fix_applied train mixed-precision']);
  });

  it('two fixes before a run: the second is named, the code of the last run kept', () => {
    const { cell, link } = setUp();
    setCellSource(cell, 'first fix\n', { refactor: 'prune', title: 'Prune' });
    setCellSource(cell, 'second fix\n', MIXED);
    expect(readFix(cell)?.previous_source).toBe('for x in data:\n    step(x)\n');
    expect(link.types()).toEqual(['profile_fix_applied train prune', 'profile_fix_applied train mixed-precision']);
  });

  it('Ctrl+Z takes code and fix back in one step, and the kernel forgets the fix', () => {
    const { cell, link } = setUp();
    setCellSource(cell, 'fixed\n', MIXED);
    cell.undo();
    expect(cell.getSource()).toBe('for x in data:\n    step(x)\n');
    expect(readFix(cell)).toBeNull();
    expect(link.types()).toEqual(['profile_fix_applied train mixed-precision', 'profile_fix_undone train']);
  });

  it('tells a kernel that (re)connects about fixes not measured yet, also when it was not connected', () => {
    const { cell, link } = setUp();
    link.connected = false;
    setCellSource(cell, 'fixed\n', MIXED);
    expect(link.sent).toEqual([]);
    link.connected = true;
    link.hello();
    link.hello(); // a restart: the new kernel is told again
    expect(link.types()).toEqual([
      'profile_fix_applied train mixed-precision',
      'profile_fix_applied train mixed-precision'
    ]);
  });

  it('the next run measures the fix (not undoable), the run after makes it history', () => {
    const { cell, link } = setUp();
    setCellSource(cell, 'fixed\n', MIXED);
    link.record(run('train', 'mixed-precision'));
    expect(readFix(cell)?.measured).toBe(true);
    link.hello();
    expect(link.types()).toEqual(['profile_fix_applied train mixed-precision']); // not told again
    cell.undo(); // Ctrl+Z: the code comes back; the bookkeeping was no user step
    expect(cell.getSource()).toBe('for x in data:\n    step(x)\n');
    link.record(run('train', null));
    expect(readFix(cell)).toBeNull();
    expect(link.types()).toEqual(['profile_fix_applied train mixed-precision']);
  });

  it('a record kept from before a reload measures the fix only when it names it', () => {
    const { cell, link } = setUp();
    setCellSource(cell, 'fixed\n', MIXED);
    link.hello([run('train', null)]); // an older run of the cell
    expect(readFix(cell)?.measured).toBe(false);
    link.hello([run('train', null), run('train', 'mixed-precision')]);
    expect(readFix(cell)?.measured).toBe(true);
  });

  it('Undo fix puts the code from before the fix back (undoable) and tells the kernel', () => {
    const { cell, link, fixes } = setUp();
    setCellSource(cell, 'fixed\n', MIXED);
    link.record(run('train', 'mixed-precision'));
    expect(fixes.undo('train')).toBe(true);
    expect(cell.getSource()).toBe('for x in data:\n    step(x)\n');
    expect(fixes.fixOf('train')).toBeNull();
    expect(link.types()).toEqual(['profile_fix_applied train mixed-precision', 'profile_fix_undone train']);
    cell.undo(); // Ctrl+Z after Undo fix: the fixed code and its (measured) fix are back
    expect(cell.getSource()).toBe('fixed\n');
    expect(fixes.fixOf('train')?.measured).toBe(true);
    expect(fixes.undo('nowhere')).toBe(false);
  });

  it('keeps what else green_assist stores in the cell, and ignores metadata it cannot read', () => {
    const { cell } = setUp();
    cell.setMetadata('green_assist', { note: 'kept' });
    setCellSource(cell, 'fixed\n', MIXED);
    cell.undo();
    expect(cell.getMetadata('green_assist')).toEqual({ note: 'kept' });
    cell.setMetadata('green_assist', { fix: { refactor: 3 } });
    expect(readFix(cell)).toBeNull();
  });
});
