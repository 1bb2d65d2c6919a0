/**
 * Messages exchanged over the `green_assist` comm (kernel side:
 * green_assist/profiler/comm.py). Every message is an object with a `type`; their
 * shapes are generated from green_assist/protocol/payloads.schema.json.
 */
import type { IConfigureMessage, IHelloMessage } from './generated/payloads';

export type {
  IAdvice,
  ICarbonInfo,
  IEnergyFigure,
  IFlopsPeak,
  IHelloMessage,
  IHostInfo,
  ILiveMessage,
  IPowerFigure,
  IProfileRecord,
  IRecordMessage,
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

/** Settings the sidebar passes to the kernel (profile_configure). */
export function configureMessage(settings: {
  region: string;
  carbonIntensity: number | null;
  pue: number;
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
