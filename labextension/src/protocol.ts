/**
 * Messages exchanged over the `green_assist` comm (kernel side:
 * green_assist/profiler/comm.py). Every message is an object with a `type`.
 */

export const COMM_TARGET = 'green_assist';

/** Run silently in the kernel to load the kernel side and open the comm. */
export const KERNEL_BOOTSTRAP = '%load_ext green_assist\n%green_assist_connect';

export interface IHostInfo {
  hostname: string;
  platform: string;
  python: string;
  cpu_model: string;
  cpu_count: number;
  gpu_count: number;
  gpu_names: string[];
  gpu_reason: string | null;
}

export interface IHelloMessage {
  type: 'hello';
  protocol: number;
  version: string;
  pid: number;
  host: IHostInfo;
  [extra: string]: unknown;
}

export interface IKernelMessage {
  type: string;
  [key: string]: unknown;
}

export function isHello(msg: IKernelMessage): msg is IHelloMessage {
  return msg.type === 'hello' && typeof msg.host === 'object' && msg.host !== null;
}

// ---------------------------------------------------------------------------
// Profiler messages: mirror of green_assist/profiler/messages.py.

export const PROFILE_LIVE = 'profile_live';
export const PROFILE_RECORD = 'profile_record';
export const PROFILE_STATE = 'profile_state';
export const PROFILE_SET_AUTO = 'profile_set_auto';
export const PROFILE_REQUEST_STATE = 'profile_request_state';
export const PROFILE_CONFIGURE = 'profile_configure';

/** How a number was obtained (green_assist/sensors Method). */
export type Method = 'counter' | 'polled' | 'attributed' | 'estimated';

export interface IEnergyFigure {
  joules: number | null;
  method: Method | null;
  reason: string | null;
}

export interface IPowerFigure {
  watts: number | null;
  method: Method | null;
  reason: string | null;
}

export interface ILiveMessage {
  type: typeof PROFILE_LIVE;
  session_id: string;
  seq: number;
  execution_count: number | null;
  cell_id: string | null;
  label: string | null;
  mode: string;
  started_at: string;
  elapsed_s: number;
  energy: Record<string, IEnergyFigure>;
  energy_j: number;
  power: Record<string, IPowerFigure>;
  power_w: number | null;
  flops_counting: boolean;
}

/** Session totals (green_assist/profiler/totals.py): unknowns stay null, counted apart. */
export interface ITotals {
  cells: number;
  errors: number;
  duration_s: number;
  energy_j: number | null;
  energy_method: Method | null;
  energy_unknown_cells: number;
  energy_missing_components: string[];
  co2e_g: number | null;
  co2e_unknown_cells: number;
  flops: number | null;
  flops_counted_cells: number;
  flops_complete: boolean | null;
  peak_rss_bytes: number | null;
}

/** Runtime advice on a record (green_assist/profiler/advice.py). */
export interface IAdvice {
  /** 'gpu-underused' | 'idle-gpu-memory' | 'fp32-matmul' | 'memory-near-limit' */
  code: string;
  title: string;
  message: string;
  /** The numbers the advice rests on, e.g. {mean_utilization_percent: {'gpu:0': 23}}. */
  evidence: Record<string, unknown>;
  fix: string;
}

/** Achieved FLOP/s as a share of a known GPU's datasheet peak. */
export interface IFlopsPeak {
  fraction: number;
  peak_flops_per_s: number;
  precision: string;
  device: string;
  devices: string[];
  source: string;
}

/** A session-log record as sent over the comm (no source). */
export interface IProfileRecord {
  session_id: string;
  execution_count: number | null;
  cell_id: string | null;
  label: string | null;
  mode: string;
  started_at: string;
  duration_s: number;
  status: 'ok' | 'error';
  error: { ename: string; evalue: string } | null;
  energy: Record<string, IEnergyFigure>;
  energy_j: number | null;
  energy_method: Method | null;
  co2e_g: number | null;
  carbon_intensity_g_per_kwh: number | null;
  pue: number | null;
  region: string | null;
  /** FLOPs counted with --flops (2 per multiply-add); null when not counted. */
  flops: number | null;
  flops_forward: number | null;
  flops_backward: number | null;
  /** false: something ran that is not counted (flops_notes says what). */
  flops_complete: boolean | null;
  flops_notes: string[];
  flops_per_s: number | null;
  flops_peak: IFlopsPeak | null;
  flops_by_module: { module: string; flops: number }[];
  peak_rss_bytes: number | null;
  gpu_peak_memory_bytes: Record<string, number>;
  kind: 'cell' | 'script';
  advice: IAdvice[];
  [field: string]: unknown;
}

/** The carbon settings the kernel uses (green_assist/sensors/carbon.py). */
export interface ICarbonInfo {
  intensity_g_per_kwh: number;
  region: string | null;
  source: string;
  year: number | null;
  pue: number;
  is_default: boolean;
  note: string;
  problems?: string[];
}

export interface ISessionState {
  session_id: string;
  log_path: string;
  log_problem: string | null;
  auto: { enabled: boolean; flops: boolean };
  totals: ITotals;
  recent: IProfileRecord[];
  running: ILiveMessage | null;
  carbon?: ICarbonInfo;
  /** Settings from profile_configure that could not be applied, and why. */
  settings_problems?: string[];
}

/** Kernel to front end: auto mode changed, or answer to a request/configure. */
export interface IStateMessage extends ISessionState {
  type: typeof PROFILE_STATE;
}

/** Front end to kernel: switch automatic profiling. */
export interface ISetAutoMessage {
  type: typeof PROFILE_SET_AUTO;
  enabled: boolean;
  flops?: boolean;
}

export interface IRecordMessage {
  type: typeof PROFILE_RECORD;
  record: IProfileRecord;
  totals: ITotals;
}

/** Settings the sidebar passes to the kernel (profile_configure). */
export function configureMessage(settings: {
  region: string;
  carbonIntensity: number | null;
  pue: number;
  sampleIntervalMs: number;
}): IKernelMessage {
  return {
    type: PROFILE_CONFIGURE,
    region: settings.region || null,
    carbon_intensity: settings.carbonIntensity,
    pue: settings.pue,
    sample_interval_s: settings.sampleIntervalMs / 1000
  };
}
