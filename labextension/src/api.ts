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
  ICellProfile,
  ICellSource,
  IEdit,
  IExpectedEffect,
  IFileError,
  IFinding,
  IHardware,
  IRefactorInfo,
  IRefactorResponse,
  IRelated,
  IReportResponse,
  IRuleInfo,
  ITarget
} from './generated/payloads';
import type { CodeSnapshot } from './documents';
import type {
  IAnalysis,
  IAnalyzeRequest,
  ICellProfile,
  IHardware,
  IRefactorInfo,
  IRefactorRequest,
  IRefactorResponse
} from './generated/payloads';

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

/** `hardware`: the kernel's machine (its hello), so that the advice fits it; none: any hardware. */
function withHardware<T extends object>(request: T, hardware: IHardware | null): T & { hardware?: IHardware } {
  return hardware ? { ...request, hardware } : request;
}

/** Findings for a document's code: its cells (a notebook) or its text (a file). */
export function analyzeSnapshot(
  path: string,
  snapshot: CodeSnapshot,
  select: string[],
  ignore: string[],
  hardware: IHardware | null = null
): Promise<IAnalysis> {
  const request: IAnalyzeRequest = withHardware({ path, ...snapshot, select, ignore }, hardware);
  return post<IAnalysis>('analyze', request);
}

/** The refactors by name, in the order menus offer them (asked once per page). */
export function listRefactors(): Promise<Record<string, IRefactorInfo>> {
  if (!refactorList) {
    const asked = requestAPI<Record<string, IRefactorInfo>>('refactor');
    asked.catch(() => (refactorList = null)); // ask again next time
    refactorList = asked;
  }
  return refactorList;
}
let refactorList: Promise<Record<string, IRefactorInfo>> | null = null;

/** What makes a refactor's notes and expected saving fit: the kernel's machine and the
 * cell's last profiled run (null where unknown). */
export interface IRefactorContext {
  hardware: IHardware | null;
  profile: ICellProfile | null;
}

export function refactor(
  name: string,
  path: string,
  code: CodeSnapshot,
  cell: number | null,
  options: Record<string, unknown> = {},
  context: IRefactorContext = { hardware: null, profile: null }
): Promise<IRefactorResponse> {
  const request: IRefactorRequest = withHardware(
    { refactor: name, path, ...code, ...(cell === null ? {} : { cell }), options },
    context.hardware
  );
  if (context.profile) {
    request.profile = context.profile;
  }
  return post<IRefactorResponse>('refactor', request);
}
