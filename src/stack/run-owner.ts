// Who started a run, written on everything the run starts, so that `smokestack clean` can tell a
// live run (spare it) from one whose process is gone (remove it) — on a shared engine, one job's
// cleanup must never remove another job's live stack.
//
// The owner is a process: its host name, the kernel's boot id, its pid namespace, its pid and its
// start time (/proc/PID/stat field 22, clock ticks since boot). A pid alone is not enough: pids are
// reused, and a new process with the old pid has another start time. The boot id and the pid
// namespace say whether that pid can be looked up from here at all (another machine, another
// container, or a reboot since).
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

export const RUN_LABEL = 'smokestack.run';
export const OWNER_LABELS = {
  host: 'smokestack.owner.host',
  boot: 'smokestack.owner.boot',
  pidns: 'smokestack.owner.pidns',
  pid: 'smokestack.owner.pid',
  start: 'smokestack.owner.start',
} as const;

export interface RunOwner {
  host: string;
  /** /proc/sys/kernel/random/boot_id; empty where there is no /proc (macOS). */
  boot: string;
  /** The pid namespace, e.g. `pid:[4026531836]`; empty where there is no /proc. */
  pidns: string;
  pid: number;
  /** Field 22 of /proc/PID/stat; empty where there is no /proc. */
  start: string;
}

/** What this process can see of processes, for judging an owner. */
export interface ProcessProbe {
  host: string;
  boot: string;
  pidns: string;
  /** The start time of a live pid (field 22), '' when alive but unknown (no /proc), undefined when gone. */
  startOf(pid: number): string | undefined;
}

export type OwnerState =
  | { state: 'alive'; why: string }
  | { state: 'gone'; why: string }
  /** Cannot be checked from here (another host or container, or no owner labels): spared. */
  | { state: 'unknown'; why: string };

/**
 * `SMOKESTACK_RUN_TAG`, when set, is written as `smokestack.tag` on everything a run starts: a CI
 * job (or any script) sets a value of its own and then finds exactly its runs' containers on an
 * engine other jobs share. Not part of the owner: it says who asked, not whether they are alive.
 */
export const TAG_LABEL = 'smokestack.tag';

/** The labels of everything a run starts: its id and its owner (this process). */
export function runLabels(
  runId: string,
  owner: RunOwner = thisProcess(),
  tag: string | undefined = process.env.SMOKESTACK_RUN_TAG,
): Record<string, string> {
  return {
    ...(tag ? { [TAG_LABEL]: tag } : {}),
    [RUN_LABEL]: runId,
    [OWNER_LABELS.host]: owner.host,
    [OWNER_LABELS.boot]: owner.boot,
    [OWNER_LABELS.pidns]: owner.pidns,
    [OWNER_LABELS.pid]: String(owner.pid),
    [OWNER_LABELS.start]: owner.start,
  };
}

/** The owner written in a container's or network's labels; undefined when there is none. */
export function ownerFromLabels(labels: Record<string, string> | undefined): RunOwner | undefined {
  const pid = Number(labels?.[OWNER_LABELS.pid]);
  const host = labels?.[OWNER_LABELS.host];
  if (!labels || !host || !Number.isInteger(pid) || pid <= 0) return undefined;
  return {
    host,
    boot: labels[OWNER_LABELS.boot] ?? '',
    pidns: labels[OWNER_LABELS.pidns] ?? '',
    pid,
    start: labels[OWNER_LABELS.start] ?? '',
  };
}

/** Pure: is the process that started a run still there, as far as `here` can tell? */
export function ownerState(owner: RunOwner | undefined, here: ProcessProbe): OwnerState {
  if (!owner) return { state: 'unknown', why: 'no owner labels (started by an older smokestack or a test)' };
  const who = `pid ${owner.pid} on ${owner.host}`;
  if (owner.host !== here.host) return { state: 'unknown', why: `${who}: another host` };
  if (owner.boot !== here.boot) {
    // Same host name, another boot: the machine restarted since, so the process is gone — unless
    // these are two containers that share a host name, which have the same boot id.
    return owner.boot !== '' && here.boot !== ''
      ? { state: 'gone', why: `${who}: the machine restarted since` }
      : { state: 'unknown', why: `${who}: cannot compare boots` };
  }
  if (owner.pidns !== here.pidns) return { state: 'unknown', why: `${who}: another pid namespace` };
  const start = here.startOf(owner.pid);
  if (start === undefined) return { state: 'gone', why: `${who} has exited` };
  if (owner.start !== '' && start !== '' && start !== owner.start) {
    return { state: 'gone', why: `${who} has exited (the pid now belongs to another process)` };
  }
  return { state: 'alive', why: `${who} is running` };
}

let cached: RunOwner | undefined;

/** This process as an owner (read once). */
export function thisProcess(): RunOwner {
  cached ??= {
    host: hostname(),
    boot: readOr('/proc/sys/kernel/random/boot_id').trim(),
    pidns: linkOr('/proc/self/ns/pid'),
    pid: process.pid,
    start: startTimeOf(process.pid) ?? '',
  };
  return cached;
}

/** The probe for this machine: /proc where there is one, `kill -0` elsewhere. */
export function localProbe(): ProcessProbe {
  const me = thisProcess();
  return {
    host: me.host,
    boot: me.boot,
    pidns: me.pidns,
    startOf: (pid) => {
      const start = startTimeOf(pid);
      if (start !== undefined) return start;
      // No readable /proc entry: no /proc at all, or hidden (hidepid): ask the kernel directly.
      return isAlive(pid) ? '' : undefined;
    },
  };
}

/** Field 22 of /proc/PID/stat. The command name (field 2) may hold spaces and ')': split after the last ')'. */
export function parseStartTime(stat: string): string | undefined {
  const rest = stat
    .slice(stat.lastIndexOf(')') + 1)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state), so field 22 is rest[19].
  const start = rest[19];
  return start !== undefined && /^\d+$/.test(start) ? start : undefined;
}

function startTimeOf(pid: number): string | undefined {
  const stat = readOr(`/proc/${pid}/stat`);
  return stat === '' ? undefined : parseStartTime(stat);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function linkOr(file: string): string {
  try {
    return readlinkSync(file);
  } catch {
    return '';
  }
}
