/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof` or the inspector): self time per function
 * and per module (node_modules package, our dist/ file, node internals, GC), in percent of the
 * samples that were not idle.
 *   node dist/bench/profile-summary.js file.cpuprofile [top]
 */
import fs from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  busyMs: number;
  idlePercent: number;
  functions: { name: string; where: string; selfPercent: number }[];
  modules: { module: string; selfPercent: number }[];
  inclusive: { name: string; where: string; totalPercent: number }[];
}

function moduleOf(url: string, fn: string): string {
  if (!url) return fn.startsWith("(") ? fn : "(native/V8)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith("node:")) return "node internals";
  const dist = url.indexOf("/dist/");
  if (dist >= 0) return url.slice(dist + 1).replace(/^file:\/\//, "");
  return url.replace(/^file:\/\//, "");
}

function where(node: Node): string {
  const url = node.callFrame.url;
  if (!url) return "";
  const nm = url.lastIndexOf("node_modules/");
  const short = nm >= 0 ? url.slice(nm + 13) : url.slice(url.indexOf("/dist/") + 1);
  return `${short}:${node.callFrame.lineNumber + 1}`;
}

export function summarise(profile: Profile, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    // The first delta is the time from `Profiler.start` to the first sample, while the load was
    // still being set up (0.5-3 s), which V8 books on the frame that started the profiler: the
    // inspector's `post`, 5-22 % of the busy time of the summaries before it was left out.
    if (i === 0) return;
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id)!;
    if (node.callFrame.functionName === "(idle)") {
      idle += dt;
      return;
    }
    total += dt;
    self.set(id, (self.get(id) ?? 0) + dt);
  });
  const fnSelf = new Map<string, { name: string; where: string; ms: number }>();
  const modSelf = new Map<string, number>();
  const incl = new Map<string, { name: string; where: string; ms: number }>();
  for (const [id, ms] of self) {
    const node = byId.get(id)!;
    const key = `${node.callFrame.functionName}@${node.callFrame.url}:${node.callFrame.lineNumber}`;
    const entry = fnSelf.get(key) ?? {
      name: node.callFrame.functionName || "(anonymous)",
      where: where(node),
      ms: 0,
    };
    entry.ms += ms;
    fnSelf.set(key, entry);
    const mod = moduleOf(node.callFrame.url, node.callFrame.functionName);
    modSelf.set(mod, (modSelf.get(mod) ?? 0) + ms);
    // Inclusive: every distinct frame on the stack gets the sample once.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      if (!n.callFrame.url) continue;
      const k = `${n.callFrame.functionName}@${n.callFrame.url}:${n.callFrame.lineNumber}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const e = incl.get(k) ?? {
        name: n.callFrame.functionName || "(anonymous)",
        where: where(n),
        ms: 0,
      };
      e.ms += ms;
      incl.set(k, e);
    }
  }
  const pct = (ms: number) => Math.round((1000 * ms) / Math.max(total, 1e-9)) / 10;
  return {
    busyMs: Math.round(total),
    idlePercent: Math.round((1000 * idle) / Math.max(total + idle, 1e-9)) / 10,
    functions: [...fnSelf.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
      .map(f => ({ name: f.name, where: f.where, selfPercent: pct(f.ms) })),
    modules: [...modSelf.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([module, ms]) => ({ module, selfPercent: pct(ms) })),
    inclusive: [...incl.values()]
      .filter(e => !e.where.startsWith("node:") && e.where !== "")
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top * 2)
      .map(e => ({ name: e.name, where: e.where, totalPercent: pct(e.ms) })),
  };
}

if (require.main === module) {
  const profile = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as Profile;
  console.log(JSON.stringify(summarise(profile, Number(process.argv[3] ?? 15)), null, 2));
}
