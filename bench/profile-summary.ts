/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): top functions by self time, and self time by package/file.
 * Usage: node bench/profile-summary.ts <file.cpuprofile> [--top 25]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' }, callers: { type: 'boolean', default: false } } });
const file = positionals[0];
if (!file) throw new Error('usage: node bench/profile-summary.ts <file.cpuprofile> [--top N]');
const top = Number(values.top);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

// Self time per node from samples and time deltas (µs); falls back to hit counts.
const selfUs = new Map<number, number>();
if (profile.samples && profile.timeDeltas) {
  for (let i = 0; i < profile.samples.length; i++) {
    const next = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + next);
  }
} else {
  const per = (profile.endTime - profile.startTime) / Math.max(1, profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0));
  for (const node of profile.nodes) selfUs.set(node.id, (node.hitCount ?? 0) * per);
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const idleUs = profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').reduce((a, n) => a + (selfUs.get(n.id) ?? 0), 0);
/** Shares are of the busy (non-idle) main-thread time. */
const busy = total - idleUs;

const cwd = process.cwd();
const where = (url: string): string => {
  if (!url) return '';
  const path = url.startsWith('file://') ? relative(cwd, new URL(url).pathname) : url;
  return path;
};
const bucket = (frame: CallFrame): string => {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native/V8 builtins)';
  if (url.startsWith('node:')) return `node internals (${url.split('/')[0]?.replace(/^node:/, '') ?? ''})`;
  const path = where(url);
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (nm) return `npm: ${nm[1]}`;
  return path;
};

const byFunction = new Map<string, number>();
const byBucket = new Map<string, number>();
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (us === 0 || node.callFrame.functionName === '(idle)') continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || '(anonymous)'}  ${url ? `${where(url)}:${lineNumber + 1}` : ''}`.trim();
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  const b = bucket(node.callFrame);
  byBucket.set(b, (byBucket.get(b) ?? 0) + us);
}

// Who calls the hottest functions: parent chains (up to 4 frames) weighted by self time.
const parent = new Map<number, ProfileNode>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const frameName = (f: CallFrame) => `${f.functionName || '(anonymous)'}${f.url ? ` ${where(f.url)}:${f.lineNumber + 1}` : ''}`;
const callers = new Map<string, Map<string, number>>();
for (const [id, us] of selfUs) {
  const node = byId.get(id);
  if (!node || us === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || '(anonymous)'}  ${url ? `${where(url)}:${lineNumber + 1}` : ''}`.trim();
  const chain: string[] = [];
  for (let p = parent.get(id); p && chain.length < 4; p = parent.get(p.id)) chain.push(frameName(p.callFrame));
  const m = callers.get(key) ?? new Map<string, number>();
  const c = chain.join(' < ');
  m.set(c, (m.get(c) ?? 0) + us);
  callers.set(key, m);
}

const pct = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)}%`;
const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled on the main thread, ${(busy / 1e6).toFixed(1)} s busy (idle excluded; shares are of busy time)\n`);
console.log(`Top ${top} functions by self time`);
for (const [key, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)} ${ms(us)}  ${key}`);
if (process.argv.includes('--callers')) {
  console.log('\nCallers of the top functions (chains of up to 4 frames, by self time)');
  for (const [key] of [...byFunction].filter(([k]) => !k.startsWith('(')).sort((a, b) => b[1] - a[1]).slice(0, 8)) {
    console.log(`  ${key}`);
    for (const [chain, us] of [...(callers.get(key) ?? [])].sort((a, b) => b[1] - a[1]).slice(0, 3)) console.log(`    ${pct(us)}  < ${chain}`);
  }
}
console.log('\nSelf time by package / file');
for (const [key, us] of [...byBucket].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)} ${ms(us)}  ${key}`);
