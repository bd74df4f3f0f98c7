import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';

/**
 * A phone on a real, slow network: a network namespace of its own, joined to the host (where the
 * relay and the agent's browser run) by a veth pair, with `tc tbf` limiting the rate both ways.
 * Playwright's throttling cannot stand in: it slows HTTP in the page, not WebSocket frames or
 * WebRTC media, and the kernel here has no netem. Needs root and iproute2 (`ip`, `tc`).
 *
 * Names are `la-<pid>-<n>` (namespace), `la-<pid>-<n>h` / `…p` (host / phone end of the veth, at
 * most 15 characters as Linux allows), so runs in parallel never collide and a run that crashed
 * can be recognised by its dead pid and swept (`sweepStaleLinks`).
 */
export interface ShapedLink {
  /** The network namespace the phone's processes run in (`ip netns exec <namespace> …`). */
  readonly namespace: string;
  /** The host's end of the link: what the phone reaches the relay at. */
  readonly hostIp: string;
  /** The phone's address, the only one it has besides its own loopback. */
  readonly phoneIp: string;
  /** The veth ends: on the host, and inside the namespace. */
  readonly hostInterface: string;
  readonly phoneInterface: string;
  /** The rate now, kbit/s, the same both ways; null: not shaped. */
  readonly kbit: number | null;
  /** Bytes that crossed the link so far, each way (the host end's counters). */
  traffic(): Promise<{ toPhone: number; fromPhone: number }>;
  /** Limits both directions to `kbit` kbit/s (replacing an earlier rate); null lifts the limit. */
  shape(kbit: number | null): Promise<void>;
  /** Deletes the veth pair (its qdiscs go with it) and the namespace. */
  close(): Promise<void>;
}

const run = promisify(execFile);

async function ip(...args: string[]): Promise<string> {
  try {
    return (await run('ip', args)).stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`ip ${args.join(' ')}: ${stderr || String(error)}`, { cause: error });
  }
}

async function tc(...args: string[]): Promise<void> {
  try {
    await run('tc', args);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`tc ${args.join(' ')}: ${stderr || String(error)}`, { cause: error });
  }
}

/** Why this machine cannot make shaped links (not root, no `ip netns`, no `tc`); null: it can. */
export function shapedLinksUnavailable(): string | null {
  if (process.platform !== 'linux') return 'shaped links need Linux network namespaces';
  if (process.getuid?.() !== 0) return 'shaped links need root (ip netns, veth, tc)';
  for (const [command, args] of [
    ['ip', ['netns', 'list']],
    ['tc', ['-V']],
  ] as const) {
    try {
      execFileSync(command, args, { stdio: 'ignore' });
    } catch {
      return `\`${command} ${args.join(' ')}\` does not run here`;
    }
  }
  return null;
}

const NAME = /^la-(\d+)-(\d+)$/;
const LINK_NAME = /^\d+:\s+(la-(\d+)-\d+[hp])[@:]/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is only someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes an interface if it is there (deleting one end of a veth pair deletes both). */
async function deleteLinkIfAny(name: string, namespace?: string): Promise<void> {
  await ip(...(namespace ? ['-n', namespace] : []), 'link', 'del', name).catch(() => undefined);
}

/**
 * Removes what earlier runs left behind: `la-*` namespaces and veth ends whose process is dead.
 * The host end goes first and explicitly: `ip netns del` frees the namespace's devices only later,
 * in the background, and the /30 would look taken meanwhile.
 */
export async function sweepStaleLinks(): Promise<string[]> {
  const swept: string[] = [];
  for (const line of (await ip('netns', 'list')).split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const match = NAME.exec(name);
    if (!match || alive(Number(match[1]))) continue;
    await deleteLinkIfAny(`${name}h`);
    await ip('netns', 'del', name).catch(() => undefined);
    swept.push(name);
  }
  for (const line of (await ip('-o', 'link', 'show')).split('\n')) {
    const match = LINK_NAME.exec(line);
    if (!match || alive(Number(match[2]))) continue;
    await deleteLinkIfAny(match[1]!);
    swept.push(match[1]!);
  }
  return swept;
}

/** 10.231.0.0/16 in /30s: 16384 links, each `.1` host, `.2` phone. */
const BLOCKS = 16384;

/** The /30 blocks of 10.231/16 some interface on the host already uses. */
async function usedBlocks(): Promise<Set<number>> {
  const used = new Set<number>();
  for (const match of (await ip('-o', '-4', 'addr', 'show')).matchAll(/inet 10\.231\.(\d+)\.(\d+)\//g)) {
    used.add(Number(match[1]) * 64 + Math.floor(Number(match[2]) / 4));
  }
  return used;
}

/** Blocks this process holds (or is setting up): another link opened meanwhile must not take them. */
const taken = new Set<number>();

/**
 * Takes a free /30 (give it back with `taken.delete`). The search starts at a place of this
 * process's own, so two test processes opening links at the same moment do not both take the first
 * free block.
 */
async function takeBlock(): Promise<number> {
  const used = await usedBlocks();
  const start = (process.pid * 7) % BLOCKS;
  for (let i = 0; i < BLOCKS; i += 1) {
    const block = (start + i) % BLOCKS;
    if (used.has(block) || taken.has(block)) continue;
    taken.add(block);
    return block;
  }
  throw new Error('no free /30 left in 10.231.0.0/16');
}

const address = (block: number, host: 1 | 2) => `10.231.${Math.floor(block / 64)}.${(block % 64) * 4 + host}`;

/**
 * tbf settings for a rate. The bucket must hold at least one full frame (1514 bytes with its
 * Ethernet header) or tbf drops every full-size packet; two frames, or 20 ms worth at higher rates,
 * keeps short bursts (an ACK after a frame) from waiting. The queue is capped by time (400 ms of
 * data at the rate, as a phone's radio buffer would hold), so at 40 kbit/s a flood is dropped
 * rather than delayed by seconds.
 */
export function tbfArgs(kbit: number): string[] {
  if (!(kbit > 0)) throw new Error(`a shaped link needs a positive rate, not ${kbit}`);
  const bytesPerSecond = (kbit * 1000) / 8;
  const burst = Math.max(2 * 1514, Math.ceil(bytesPerSecond * 0.02));
  return ['tbf', 'rate', `${kbit}kbit`, 'burst', String(burst), 'latency', '400ms'];
}

let opened = 0;
/** Links of this process not closed yet, removed at exit if a test forgot (or threw before) close(). */
const open = new Map<string, string>();
process.once('exit', () => {
  for (const [namespace, hostEnd] of open) {
    for (const args of [
      ['link', 'del', hostEnd],
      ['netns', 'del', namespace],
    ]) {
      try {
        execFileSync('ip', args, { stdio: 'ignore' });
      } catch {
        // Already gone.
      }
    }
  }
});

/**
 * Adds `la-<pid>-<n>` for the next free n. Worker threads share their process's pid but not this
 * module's counter: a name another thread took is skipped, as `ip netns add` refuses it.
 */
async function newNamespace(): Promise<string> {
  for (;;) {
    const n = opened++;
    const namespace = `la-${process.pid}-${n}`;
    try {
      await ip('netns', 'add', namespace);
      return namespace;
    } catch (error) {
      if (n > 1000 || !(error as Error).message.includes('File exists')) throw error;
    }
  }
}

/** Opens a new link (sweeping stale ones first); the caller must `close()` it, in a finally. */
export async function openShapedLink(): Promise<ShapedLink> {
  await sweepStaleLinks();
  const block = await takeBlock();
  const hostIp = address(block, 1);
  const phoneIp = address(block, 2);
  const namespace = await newNamespace().catch((error: unknown) => {
    taken.delete(block);
    throw error;
  });
  const hostEnd = `${namespace}h`;
  const phoneEnd = `${namespace}p`;
  let kbit: number | null = null;

  const close = async () => {
    // The host end first: its deletion takes the phone end (and both qdiscs) at once, while the
    // namespace's own devices would only go some time after `netns del`.
    await deleteLinkIfAny(hostEnd);
    await ip('netns', 'del', namespace).catch(() => undefined);
    open.delete(namespace);
    taken.delete(block);
  };

  open.set(namespace, hostEnd);
  try {
    await ip('link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', phoneEnd);
    await ip('link', 'set', phoneEnd, 'netns', namespace);
    await ip('addr', 'add', `${hostIp}/30`, 'dev', hostEnd);
    await ip('link', 'set', hostEnd, 'up');
    await ip('-n', namespace, 'addr', 'add', `${phoneIp}/30`, 'dev', phoneEnd);
    await ip('-n', namespace, 'link', 'set', phoneEnd, 'up');
    // Chromium and Node bind to 127.0.0.1 for their own plumbing; a namespace starts with lo down.
    await ip('-n', namespace, 'link', 'set', 'lo', 'up');
    // A default route, as a phone has: the phone's Chromium offers a WebRTC candidate only on the
    // address it would reach a public one from (as an mDNS name), so without a default route its
    // answer carries no candidate at all (the call then connects only because the console's
    // candidates reach the phone, which the console learns as peer-reflexive). The
    // host never passes the phone's packets on (forwarding off on its end, whatever ip_forward
    // says): the phone reaches this host, at any of its addresses, through the link, and nothing
    // beyond it.
    writeFileSync(`/proc/sys/net/ipv4/conf/${hostEnd}/forwarding`, '0');
    await ip('-n', namespace, 'route', 'add', 'default', 'via', hostIp);
  } catch (error) {
    await close();
    throw error;
  }

  return {
    namespace,
    hostIp,
    phoneIp,
    hostInterface: hostEnd,
    phoneInterface: phoneEnd,
    get kbit() {
      return kbit;
    },
    async traffic() {
      const [stats] = JSON.parse(await ip('-j', '-s', 'link', 'show', 'dev', hostEnd)) as Array<{
        stats64: { rx: { bytes: number }; tx: { bytes: number } };
      }>;
      if (!stats) throw new Error(`${hostEnd} is gone`);
      return { toPhone: stats.stats64.tx.bytes, fromPhone: stats.stats64.rx.bytes };
    },
    async shape(rate) {
      if (rate === null) {
        // Back to the veth's default (no queue). An end that was never shaped has nothing to
        // delete, which tc reports as a "handle of zero".
        const unshape = (...args: string[]) =>
          tc(...args, 'qdisc', 'del', 'dev', args.length ? phoneEnd : hostEnd, 'root').catch((error: Error) => {
            if (!error.message.includes('handle of zero')) throw error;
          });
        await unshape();
        await unshape('-n', namespace);
      } else {
        // Egress on each end: the host end's queue holds what goes to the phone (its download),
        // the phone end's what the phone sends (its upload).
        await tc('qdisc', 'replace', 'dev', hostEnd, 'root', ...tbfArgs(rate));
        await tc('-n', namespace, 'qdisc', 'replace', 'dev', phoneEnd, 'root', ...tbfArgs(rate));
      }
      kbit = rate;
    },
    close,
  };
}
