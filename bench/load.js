// A lean HTTP/1.1 load client for `npm run bench`: keep-alive sockets that write a request and read
// one response (Content-Length framing, which every server measured here uses). fetch costs ~0.3 ms
// of client CPU per request; on a 2-core machine that, not the server, would set the req/s.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

const CRLF2 = Buffer.from('\r\n\r\n');

export class Connection {
  constructor(port) {
    this.port = port;
    this.socket = null;
    this.buffer = Buffer.alloc(0);
    this.waiting = null;
  }

  open() {
    return new Promise((resolve, reject) => {
      const socket = connect(this.port, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
      socket.setNoDelay(true);
      socket.once('error', reject);
      socket.on('data', (chunk) => {
        this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
        this.parse();
      });
      const fail = (err) => {
        const w = this.waiting;
        this.waiting = null;
        w?.reject(err ?? new Error('connection closed'));
      };
      socket.on('error', fail);
      socket.on('close', () => fail(null));
      this.socket = socket;
    });
  }

  parse() {
    if (!this.waiting) return;
    const end = this.buffer.indexOf(CRLF2);
    if (end < 0) return;
    const head = this.buffer.toString('latin1', 0, end);
    const m = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!m && /\r\ntransfer-encoding:/i.test(head)) {
      this.waiting.reject(new Error('chunked responses are not supported by bench/load.js'));
      this.waiting = null;
      return;
    }
    const length = m ? Number(m[1]) : 0;
    if (this.buffer.length < end + 4 + length) return;
    const body = this.buffer.subarray(end + 4, end + 4 + length);
    this.buffer = this.buffer.subarray(end + 4 + length);
    const w = this.waiting;
    this.waiting = null;
    w.resolve({ status: Number(head.slice(9, 12)), head, body });
  }

  /** Sends one request; resolves with { status, head (raw header text), body (Buffer) }. */
  request(method, path, { headers = {}, body = null } = {}) {
    let text = `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${this.port}\r\n`;
    for (const [k, v] of Object.entries(headers)) text += `${k}: ${v}\r\n`;
    if (body !== null) text += `Content-Length: ${Buffer.byteLength(body)}\r\n`;
    text += `\r\n${body ?? ''}`;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(text);
    });
  }

  close() {
    this.socket?.destroy();
  }
}

/** A response header's value from the raw header text, or null. */
export function header(head, name) {
  const m = new RegExp(`\\r\\n${name}: *([^\\r]*)`, 'i').exec(head);
  return m ? m[1] : null;
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) a process has used so far, in ms; null off Linux. */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
  } catch {
    return null;
  }
}

/** Resident set size of a process in MB; null off Linux. */
export function rssMb(pid) {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Closed-loop load: `connections` keep-alive sockets, each sending `task(connection)` again as soon
 * as the last one answered, for `ms` after a warm-up of at least `warmupMs` and `warmupTasks` tasks
 * (counted, not timed: on a busy machine 300 ms may be too few requests for the JIT to finish, and
 * a server with a longer code path would be measured half-warm). Returns completed tasks per
 * second, errors and, given the server's `pid`, its CPU time per task.
 */
export async function load(port, { connections, ms, warmupMs = 300, warmupTasks = 2000, task, pid = null }) {
  const conns = Array.from({ length: connections }, () => new Connection(port));
  await Promise.all(conns.map((c) => c.open()));
  let counting = false;
  let stop = false;
  let done = 0;
  let warmed = 0;
  let errors = 0;
  let firstError = null;
  const worker = async (c) => {
    while (!stop) {
      try {
        await task(c);
        if (counting) done++;
        else warmed++;
      } catch (err) {
        errors++;
        firstError ??= err;
        if (errors > 10) stop = true;
      }
    }
  };
  const workers = conns.map(worker);
  const warmupEnd = performance.now() + 10 * warmupMs + 10_000;
  await new Promise((r) => setTimeout(r, warmupMs));
  while (warmed < warmupTasks && !stop && performance.now() < warmupEnd) await new Promise((r) => setTimeout(r, 20));
  counting = true;
  const t0 = performance.now();
  const cpu0 = pid === null ? null : cpuMs(pid);
  await new Promise((r) => setTimeout(r, ms));
  counting = false;
  const elapsed = performance.now() - t0;
  const cpu1 = pid === null ? null : cpuMs(pid);
  stop = true;
  await Promise.all(workers);
  for (const c of conns) c.close();
  return {
    perSec: (done / elapsed) * 1000,
    done,
    cpuMsPer: cpu0 === null || cpu1 === null || done === 0 ? null : (cpu1 - cpu0) / done,
    errors,
    firstError: firstError ? String(firstError.message ?? firstError) : null,
  };
}
