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
