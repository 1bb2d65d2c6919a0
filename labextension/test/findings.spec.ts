import { Signal } from '@lumino/signaling';

import type { IAnalysis, IFinding, IHardware } from '../src/api';
import type { CodeSnapshot, ICellChange, ICodeDocument } from '../src/documents';
import { FindingsModel, IAnalysisSettings } from '../src/findings';

/** An in-memory document: its code changes when a test says so. */
class MemoryDocument implements ICodeDocument {
  constructor(
    readonly kind: 'notebook' | 'file',
    public code: CodeSnapshot
  ) {}

  readonly path = 'train.ipynb';
  readonly contentChanged: Signal<ICodeDocument, void> = new Signal<ICodeDocument, void>(this);
  readonly saved: Signal<ICodeDocument, void> = new Signal<ICodeDocument, void>(this);
  isDisposed = false;

  snapshot(): CodeSnapshot {
    return this.code;
  }

  edit(code: CodeSnapshot): void {
    this.code = code;
    this.contentChanged.emit();
  }

  replaceCells(_changes: ICellChange[]): void {}
  replaceText(_text: string): void {}
  revealCell(_index: number): void {}
  dispose(): void {
    this.isDisposed = true;
  }
}

/** The analyses the model asked for; each answers when the test resolves it. */
class PendingAnalyses {
  readonly calls: { snapshot: CodeSnapshot; select: string[]; answer: (analysis: IAnalysis) => void }[] = [];
  readonly failures: ((error: Error) => void)[] = [];

  analyze = (_path: string, snapshot: CodeSnapshot, select: string[]): Promise<IAnalysis> =>
    new Promise((resolve, reject) => {
      this.calls.push({ snapshot, select, answer: resolve });
      this.failures.push(reject);
    });
}

function finding(code: string, cell: number | null): IFinding {
  return { code, cell } as IFinding;
}

function analysis(findings: IFinding[]): IAnalysis {
  return { path: 'train.ipynb', findings, errors: [], rules: {}, excluded: false } as unknown as IAnalysis;
}

const SETTINGS: IAnalysisSettings = { select: [], ignore: [], delayMs: 600, refactorOptions: {} };
const settle = () => new Promise(resolve => setImmediate(resolve));

describe('FindingsModel', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate'] }));
  afterEach(() => jest.useRealTimers());

  it('analyses on opening and groups findings by cell, files and module level first', async () => {
    const pending = new PendingAnalyses();
    const model = new FindingsModel(new MemoryDocument('notebook', { text: 'x' }), SETTINGS, pending.analyze);
    expect(model.status).toBe('analyzing');
    pending.calls[0].answer(analysis([finding('GA101', 2), finding('GA103', null), finding('GA109', 0)]));
    await settle();
    expect(model.status).toBe('ready');
    expect([...model.byCell().entries()].map(([cell, found]) => [cell, found.map(f => f.code)])).toEqual([
      [-1, ['GA103']],
      [0, ['GA109']],
      [2, ['GA101']]
    ]);
  });

  it('waits for typing to pause, then sends the newest code once', async () => {
    const pending = new PendingAnalyses();
    const document = new MemoryDocument('file', { text: 'a' });
    new FindingsModel(document, SETTINGS, pending.analyze);
    document.edit({ text: 'ab' });
    document.edit({ text: 'abc' });
    jest.advanceTimersByTime(599);
    expect(pending.calls).toHaveLength(1); // only the opening analysis so far
    jest.advanceTimersByTime(1);
    expect(pending.calls.map(call => call.snapshot)).toEqual([{ text: 'a' }, { text: 'abc' }]);
  });

  it('does not send code it analysed last; a save analyses at once', async () => {
    const pending = new PendingAnalyses();
    const document = new MemoryDocument('file', { text: 'a' });
    const model = new FindingsModel(document, SETTINGS, pending.analyze);
    model.refresh();
    document.saved.emit();
    expect(pending.calls).toHaveLength(1);
    document.code = { text: 'b' };
    document.saved.emit();
    expect(pending.calls).toHaveLength(2);
  });

  it('ignores outputs and markdown: only code cells are compared', () => {
    const pending = new PendingAnalyses();
    const cells = (markdown: string) => ({
      cells: [
        { cell_type: 'code', source: 'x = 1' },
        { cell_type: 'markdown', source: markdown }
      ]
    });
    const document = new MemoryDocument('notebook', cells('# notes'));
    new FindingsModel(document, SETTINGS, pending.analyze);
    document.edit(cells('# better notes'));
    jest.advanceTimersByTime(600);
    expect(pending.calls).toHaveLength(1);
  });

  it('drops an answer that a newer edit overtook', async () => {
    const pending = new PendingAnalyses();
    const document = new MemoryDocument('file', { text: 'old' });
    const model = new FindingsModel(document, SETTINGS, pending.analyze);
    document.edit({ text: 'new' });
    jest.advanceTimersByTime(600);
    pending.calls[1].answer(analysis([finding('GA109', null)]));
    await settle();
    pending.calls[0].answer(analysis([finding('GA101', null)]));
    await settle();
    expect(model.findings.map(f => f.code)).toEqual(['GA109']);
  });

  it('says why an analysis failed and tries the same code again', async () => {
    const pending = new PendingAnalyses();
    const model = new FindingsModel(new MemoryDocument('file', { text: 'x' }), SETTINGS, pending.analyze);
    pending.failures[0](new Error('server answered 413'));
    await settle();
    expect(model.status).toBe('error');
    expect(model.error).toBe('Analysis failed: server answered 413');
    model.refresh();
    expect(pending.calls).toHaveLength(2);
  });

  it('analyses the same code again when the rules to run change', () => {
    const pending = new PendingAnalyses();
    const model = new FindingsModel(new MemoryDocument('file', { text: 'x' }), SETTINGS, pending.analyze);
    model.settings = { ...SETTINGS, select: ['GA1'] };
    expect(pending.calls.map(call => call.select)).toEqual([[], ['GA1']]);
  });
});

describe("FindingsModel and the kernel's machine", () => {
  /** Kernel facts a test sets: the machine, and whether a starting kernel will say. */
  class Facts {
    readonly changed: Signal<Facts, void> = new Signal<Facts, void>(this);
    hardware: IHardware | null = null;
    pending = true;
    profileOf = (cell: number | null) => (cell === 1 ? { duration_s: 10.6, energy_j: 23.2, flops: null } : null);

    say(hardware: IHardware | null, pending = false): void {
      this.hardware = hardware;
      this.pending = pending;
      this.changed.emit();
    }
  }

  const EPYC = { cpu_model: 'AMD EPYC', cpu_fast_bf16: null, gpus: [] } as unknown as IHardware;

  function setUp() {
    const asked: (IHardware | null)[] = [];
    const answers: ((analysis: IAnalysis) => void)[] = [];
    const analyze = (_path: string, _code: CodeSnapshot, _select: string[], _ignore: string[], hw: IHardware | null) =>
      new Promise<IAnalysis>(resolve => {
        asked.push(hw);
        answers.push(resolve);
      });
    const model = new FindingsModel(new MemoryDocument('notebook', { text: 'x' }), SETTINGS, analyze);
    const facts = new Facts();
    model.kernel = facts;
    return { model, facts, asked, answers };
  }

  it('waits for a starting kernel, drops advice for any hardware, then asks for its machine', async () => {
    const { model, facts, asked, answers } = setUp();
    expect(model.status).toBe('waiting');
    answers[0](analysis([finding('GA101', null)])); // asked before the kernel was known
    await settle();
    expect(model.findings).toEqual([]);
    facts.say(EPYC);
    expect(asked).toEqual([null, EPYC]);
    answers[1](analysis([finding('GA107', null)]));
    await settle();
    expect(model.findings.map(f => f.code)).toEqual(['GA107']);
    facts.say({ ...EPYC } as IHardware); // the same machine: nothing to ask
    expect(asked).toHaveLength(2);
  });

  it("gives a refactor the kernel's machine and the cell's last run", () => {
    const { model, facts } = setUp();
    facts.say(EPYC);
    expect(model.refactorContext(1)).toEqual({
      hardware: EPYC,
      profile: { duration_s: 10.6, energy_j: 23.2, flops: null }
    });
    expect(model.refactorContext(null)).toEqual({ hardware: EPYC, profile: null });
  });
});
