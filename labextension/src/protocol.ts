/**
 * Messages exchanged over the `green_assist` comm (kernel side:
 * green_assist/profiler/comm.py). Every message is an object with a `type`; their
 * shapes are generated from green_assist/protocol/payloads.schema.json.
 */
import type {
  ICellPositionsMessage,
  IConfigureMessage,
  IFixAppliedMessage,
  IFixUndoneMessage,
  IHelloMessage
} from './generated/payloads';

export type {
  IAdvice,
  IAppliedRefactor,
  ICarbonInfo,
  IEnergyFigure,
  IFlopsPeak,
  IHardware,
  IHelloMessage,
  IHostInfo,
  ILiveMessage,
  IPowerFigure,
  IPreviousRun,
  IProfileRecord,
  IRecordMessage,
  IRunChange,
  ISessionState,
  ISetAutoMessage,
  IStateMessage,
  ITotals,
  Method
} from './generated/payloads';

export const COMM_TARGET = 'green_assist';

/** Run silently in the kernel to load the kernel side and open the comm. */
export const KERNEL_BOOTSTRAP = '%load_ext green_assist\n%green_assist_connect';

export interface IKernelMessage {
  type: string;
  [key: string]: unknown;
}

export function isHello(msg: IKernelMessage): msg is IHelloMessage {
  return msg.type === 'hello' && typeof msg.host === 'object' && msg.host !== null;
}

// ---------------------------------------------------------------------------
// Profiler message types (green_assist/profiler/messages.py).

export const PROFILE_LIVE = 'profile_live';
export const PROFILE_RECORD = 'profile_record';
export const PROFILE_STATE = 'profile_state';
export const PROFILE_SET_AUTO = 'profile_set_auto';
export const PROFILE_REQUEST_STATE = 'profile_request_state';
export const PROFILE_CONFIGURE = 'profile_configure';
export const PROFILE_FIX_APPLIED = 'profile_fix_applied';
export const PROFILE_FIX_UNDONE = 'profile_fix_undone';
export const PROFILE_CELL_POSITIONS = 'profile_cell_positions';

/** A fix from the sidebar was applied to the cell: its next run names it. */
export function fixAppliedMessage(cellId: string, fix: { refactor: string; title: string }): IKernelMessage {
  const message: IFixAppliedMessage = {
    type: PROFILE_FIX_APPLIED,
    cell_id: cellId,
    refactor: fix.refactor,
    title: fix.title
  };
  return { ...message };
}

/** The fix applied to the cell was taken back. */
export function fixUndoneMessage(cellId: string): IKernelMessage {
  const message: IFixUndoneMessage = { type: PROFILE_FIX_UNDONE, cell_id: cellId };
  return { ...message };
}

/** Where each cell is (0-based, by id), so that records name cells "cell 6 · In [4]". */
export function cellPositionsMessage(positions: Record<string, number>): IKernelMessage {
  const message: ICellPositionsMessage = { type: PROFILE_CELL_POSITIONS, positions };
  return { ...message };
}

/** Settings the sidebar passes to the kernel (profile_configure). */
export function configureMessage(settings: {
  region: string;
  carbonIntensity: number | null;
  pue: number | null;
  sampleIntervalMs: number;
}): IKernelMessage {
  const message: IConfigureMessage = {
    type: PROFILE_CONFIGURE,
    region: settings.region || null,
    carbon_intensity: settings.carbonIntensity,
    pue: settings.pue,
    sample_interval_s: settings.sampleIntervalMs / 1000
  };
  return { ...message };
}
