/**
 * Typed calls to the green_assist server extension (green_assist/server/).
 * Every request carries the page's token through ServerConnection; the server
 * answers 403 without it. Payload shapes are generated from
 * green_assist/protocol/payloads.schema.json.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

export type {
  IAnalysis,
  ICellSource,
  IEdit,
  IFileError,
  IFinding,
  IRefactorInfo,
  IRefactorResponse,
  IRelated,
  IReportResponse,
  IRuleInfo
} from './generated/payloads';
import type { CodeSnapshot } from './documents';
import type { IAnalysis, IRefactorInfo, IRefactorResponse } from './generated/payloads';

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

/** Findings for a document's code: its cells (a notebook) or its text (a file). */
export function analyzeSnapshot(
  path: string,
  snapshot: CodeSnapshot,
  select: string[],
  ignore: string[]
): Promise<IAnalysis> {
  return post<IAnalysis>('analyze', { path, ...snapshot, select, ignore });
}

/** The refactors by name, in the order menus offer them. */
export function listRefactors(): Promise<Record<string, IRefactorInfo>> {
  return requestAPI<Record<string, IRefactorInfo>>('refactor');
}

export function refactor(
  name: string,
  path: string,
  code: CodeSnapshot,
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
