import { readFile } from 'node:fs/promises';

// Reads a V8 CPU profile (`node --cpu-prof`) and says where the time went: self time per function
// and per area (a package of node_modules, a folder of fleetbench, Node's own internals, the
// garbage collector, idle), and total time of fleetbench's own functions. Self time: a sample
// counts for the function on top of the stack only; total time: for every function on the stack.

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface TimeShare {
  name: string;
  ms: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Everything but idle: what the process spent on a CPU, as V8 sampled it. */
  busyMs: number;
  areas: TimeShare[];
  functions: TimeShare[];
  /** fleetbench's own functions by total time: what each stage costs with everything it calls. */
  ownTotals: TimeShare[];
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Where a function lives, coarsely: `ssh2`, `fleetbench src/rules`, `node:internal`... */
export function areaOf(frame: CallFrame): string {
  if (SPECIAL.has(frame.functionName) && frame.url === '') return frame.functionName;
  const url = frame.url;
  if (url === '') return '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (inModules) return inModules[1]!;
  const own = /\/dist(?:-bench)?\/(?:src\/)?([^/]+)\//.exec(url);
  if (own) return `fleetbench ${own[1]}`;
  // Modules at the top of src/ (shell-quote.ts, group-by.ts...).
  if (/\/dist(?:-bench)?\/(?:src\/)?[^/]+\.js$/.test(url)) return 'fleetbench';
  return url.replace(/^file:\/\//, '');
}

function isOwn(frame: CallFrame): boolean {
  return /\/dist(?:-bench)?\/(?:src\/)?/.test(frame.url) && !frame.url.includes('/node_modules/');
}

function functionName(frame: CallFrame): string {
  return SPECIAL.has(frame.functionName) ? frame.functionName : `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/');
}

function top(map: Map<string, number>, count: number): TimeShare[] {
  return [...map.entries()]
    .map(([name, us]) => ({ name, ms: us / 1000 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
}

export async function summarizeProfile(path: string, topCount = 15): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const parentOf = new Map(profile.nodes.flatMap((node) => (node.children ?? []).map((child) => [child, node.id] as const)));
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  const ownTotals = new Map<string, number>();
  let idleUs = 0;
  profile.samples.forEach((id, index) => {
    const frame = byId.get(id);
    const us = profile.timeDeltas[index] ?? 0;
    if (!frame) return;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      return;
    }
    const area = areaOf(frame);
    areas.set(area, (areas.get(area) ?? 0) + us);
    functions.set(functionName(frame), (functions.get(functionName(frame)) ?? 0) + us);
    // Each of fleetbench's functions on the stack, once even when it recurses.
    const onStack = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parentOf.get(node)) {
      const caller = byId.get(node)!;
      if (isOwn(caller)) onStack.add(functionName(caller));
    }
    for (const name of onStack) ownTotals.set(name, (ownTotals.get(name) ?? 0) + us);
  });
  const totalUs = profile.endTime - profile.startTime;
  return {
    totalMs: totalUs / 1000,
    busyMs: (totalUs - idleUs) / 1000,
    areas: top(areas, topCount),
    functions: top(functions, topCount),
    ownTotals: top(ownTotals, topCount),
  };
}
