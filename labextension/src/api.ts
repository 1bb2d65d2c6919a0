/**
 * Typed calls to the green_assist server extension (green_assist/server/).
 * Every request carries the page's token through ServerConnection; the server
 * answers 403 without it.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** A finding in the CLI's JSON shape (green_assist/analysis/findings.py). */
export interface IFinding {
  code: string;
  name: string;
  message: string;
  severity: string;
  path: string;
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  cell: number | null;
  cell_id: string | null;
  fix: string | null;
  fix_applicable: boolean;
  fix_safe: boolean;
  edits: IEdit[];
  /** Evidence elsewhere: the helper's `.item()`, the default that decides a guard. */
  related?: IRelated[];
}

/** A related location of a finding (findings.py `Related`). */
export interface IRelated {
  path: string;
  cell: number | null;
  cell_id: string | null;
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  function: string | null;
  message: string;
}

export interface IEdit {
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  text: string;
  cell: number | null;
}

export interface IFileError {
  kind: string;
  message: string;
  line?: number | null;
  column?: number | null;
  cell?: number | null;
  [key: string]: unknown;
}

export interface IRuleInfo {
  name: string;
  summary: string;
  severity: string;
  doc?: {
    what: string;
    why: string;
    example: string;
    fix: string;
    fixed_example?: string;
    sources: string[];
  };
  refactor?: string | null;
}

export interface IAnalysis {
  path: string;
  findings: IFinding[];
  errors: IFileError[];
  rules: Record<string, IRuleInfo>;
  /** True when `exclude` in the project's settings skips this file (no findings then). */
  excluded: boolean;
}

export interface ICellSource {
  cell_type: string;
  source: string;
  id?: string;
}

/** Error with the server's own message (which says what to do). */
export class GreenAssistRequestError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message);
  }
}

export async function requestAPI<T>(endpoint: string, init: RequestInit = {}): Promise<T> {
  const settings = ServerConnection.makeSettings();
  const url = URLExt.join(settings.baseUrl, 'green-assist', endpoint);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new ServerConnection.NetworkError(error as TypeError);
  }
  const text = await response.text();
  let data: unknown = null;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!response.ok) {
    const message =
      (data as { message?: string } | null)?.message ??
      `green_assist server answered ${response.status} ${response.statusText}`;
    throw new GreenAssistRequestError(message, response.status);
  }
  return data as T;
}

function post<T>(endpoint: string, body: unknown): Promise<T> {
  return requestAPI<T>(endpoint, { method: 'POST', body: JSON.stringify(body) });
}

export function analyzeCells(
  path: string,
  cells: ICellSource[],
  select: string[],
  ignore: string[]
): Promise<IAnalysis> {
  return post<IAnalysis>('analyze', { path, cells, select, ignore });
}

export function analyzeText(
  path: string,
  text: string,
  select: string[],
  ignore: string[]
): Promise<IAnalysis> {
  return post<IAnalysis>('analyze', { path, text, select, ignore });
}

export interface IRefactorResponse {
  refactor: string;
  path: string;
  status: 'changed' | 'unchanged' | 'refused' | 'error';
  notes: string[];
  reason: string | null;
  errors: IFileError[];
  diff: string;
  text?: string;
  cells?: { index: number; id: string | null; source: string }[];
}

/** A refactor as the server describes it (green_assist/catalog.py, refactor_info). */
export interface IRefactorInfo {
  name: string;
  title: string;
  summary: string;
  answers: string[];
  options: Record<string, { default: unknown; help: string }>;
}

/** The refactors by name, in the order menus offer them. */
export function listRefactors(): Promise<Record<string, IRefactorInfo>> {
  return requestAPI<Record<string, IRefactorInfo>>('refactor');
}

export function refactor(
  name: string,
  path: string,
  code: { cells: ICellSource[] } | { text: string },
  cell: number | null,
  options: Record<string, unknown> = {}
): Promise<IRefactorResponse> {
  return post<IRefactorResponse>('refactor', {
    refactor: name,
    path,
    ...code,
    ...(cell === null ? {} : { cell }),
    options
  });
}
