// Scripted ACP agent: a test peer for Weft's ACP client (ACP v1, newline-delimited JSON-RPC on stdin/stdout; run it as
// `node scripted-agent.mjs`). No network, no model: the first word of the prompt's first text block picks a fixed
// script. Runs on @agentclientprotocol/sdk@2.4.0, installed next to this file by dev.weft.testing.NpmPeers and .ci/run.
// The SDK rejects every request but `initialize` with -32600 until the initialize response has gone out.
//
//   initialize        remembers clientCapabilities; answers {protocolVersion:1, agentCapabilities:{loadSession:true},
//                     authMethods:[]}
//   session/new       {sessionId (a UUID), modes: default, plan}; remembers cwd
//   session/load      replays one user_message_chunk "earlier prompt", then {} (the session is known from then on)
//   session/set_mode  current_mode_update, then {}; unknown session: -32002
//   session/cancel    cancels the session's running turn (below)
//   session/prompt    unknown session: -32002. Every turn starts with plan (1 entry, in_progress) and
//                     agent_thought_chunk; a turn that ends normally sends usage_update last (used 1000, size 200000,
//                     cost 0.01 USD) and answers {stopReason:"end_turn"}.
//
//   script  what it does after plan + thought
//   tools   t1..t3 (kind read): pending -> in_progress -> completed (t2: failed), 20 ms apart; then t4 (kind edit,
//           diff of <cwd>/a.txt) and session/request_permission: allow -> t4 completed, reject -> t4 failed
//   slow    the same, 1 s apart
//   fs      fs/write_text_file <cwd>/weft-fs.txt "hello\nworld\n", fs/read_text_file line 2 limit 1,
//           then message "read: <content>"
//   term    terminal/create sh -c "echo hi; exit 7", wait_for_exit, output, release,
//           then message "exit <code>: <output>"
//   hang    nothing; answers only after session/cancel
//   crash   process.exit(3), never answers
//   error   throws: -32603, data.details "scripted failure"
//   other   message "echo: <word>"
// fs and term ask the client only if it advertised fs.readTextFile and fs.writeTextFile / terminal; otherwise they
// say so in a message and end the turn.
//
// Cancel: once session/cancel arrives (or a permission is answered `cancelled`, which counts as a cancel by itself),
// the turn sends nothing more, stops waiting for its timer or for the client's answer, leaves its tool calls where
// they were, and answers {stopReason:"cancelled"}, never an error. The next prompt on the session works.
import * as acp from '@agentclientprotocol/sdk';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';

let clientCapabilities = {};
const sessions = new Map(); // sessionId -> { cwd, turn: AbortController | null }
const MODES = [{ id: 'default', name: 'Default' }, { id: 'plan', name: 'Plan' }];

class Cancelled extends Error {}

const text = (t) => ({ type: 'text', text: t });
const message = (t) => ({ sessionUpdate: 'agent_message_chunk', content: text(t) });

function session(sessionId) {
  const s = sessions.get(sessionId);
  if (!s) throw acp.RequestError.resourceNotFound(sessionId);
  return s;
}

// Settles like `promise`, or rejects with Cancelled (and calls `onCancel`) as soon as `signal` aborts.
function until(signal, promise, onCancel = () => {}) {
  return new Promise((resolve, reject) => {
    const onAbort = () => { onCancel(); reject(new Cancelled()); };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
// A timer that a cancel clears; `Infinity` waits for the cancel alone.
function wait(signal, ms) {
  let timer;
  const elapsed = new Promise((resolve) => { if (ms !== Infinity) timer = setTimeout(resolve, ms); });
  return until(signal, elapsed, () => clearTimeout(timer));
}

async function toolsScript(turn, gap) {
  for (const id of ['t1', 't2', 't3']) {
    const end = id === 't2' ? 'failed' : 'completed';
    await turn.send({ sessionUpdate: 'tool_call', toolCallId: id, title: `Read ${id}`, kind: 'read',
      status: 'pending' });
    await turn.wait(gap);
    await turn.send({ sessionUpdate: 'tool_call_update', toolCallId: id, status: 'in_progress' });
    await turn.wait(gap);
    const content = [{ type: 'content', content: text(`${id} ${end}`) }];
    await turn.send({ sessionUpdate: 'tool_call_update', toolCallId: id, status: end, content });
    await turn.wait(gap);
  }
  const path = join(turn.cwd, 'a.txt');
  await turn.send({ sessionUpdate: 'tool_call', toolCallId: 't4', title: 'Edit a.txt', kind: 'edit', status: 'pending',
    locations: [{ path }], content: [{ type: 'diff', path, oldText: 'old\n', newText: 'new\n' }] });
  const { outcome } = await turn.ask('session/request_permission', { sessionId: turn.sessionId,
    toolCall: { toolCallId: 't4' }, options: [{ optionId: 'allow', name: 'Allow', kind: 'allow_once' },
      { optionId: 'reject', name: 'Reject', kind: 'reject_once' }] });
  if (outcome.outcome === 'cancelled') turn.cancel(); // cancel by itself: session/cancel may not have arrived yet
  const status = outcome.optionId === 'allow' ? 'completed' : 'failed';
  await turn.send({ sessionUpdate: 'tool_call_update', toolCallId: 't4', status });
}

const scripts = {
  tools: (turn) => toolsScript(turn, 20),
  slow: (turn) => toolsScript(turn, 1000),
  async fs(turn) {
    if (!clientCapabilities.fs?.readTextFile || !clientCapabilities.fs?.writeTextFile) {
      return turn.send(message('fs: the client did not advertise fs.readTextFile and fs.writeTextFile'));
    }
    const path = join(turn.cwd, 'weft-fs.txt');
    await turn.ask('fs/write_text_file', { sessionId: turn.sessionId, path, content: 'hello\nworld\n' });
    const { content } = await turn.ask('fs/read_text_file', { sessionId: turn.sessionId, path, line: 2, limit: 1 });
    await turn.send(message(`read: ${content}`));
  },
  async term(turn) {
    if (!clientCapabilities.terminal) return turn.send(message('term: the client did not advertise terminal'));
    const ids = { sessionId: turn.sessionId };
    const { terminalId } = await turn.ask('terminal/create', { ...ids, command: 'sh',
      args: ['-c', 'echo hi; exit 7'] });
    Object.assign(ids, { terminalId });
    const exit = await turn.ask('terminal/wait_for_exit', ids);
    const { output } = await turn.ask('terminal/output', ids);
    await turn.ask('terminal/release', ids);
    await turn.send(message(`exit ${exit.exitCode}: ${output}`));
  },
  hang: (turn) => turn.wait(Infinity),
  crash: () => process.exit(3),
  error() { throw new Error('scripted failure'); },
};

acp.agent({ name: 'scripted-agent' })
  .onRequest('initialize', ({ params }) => {
    clientCapabilities = params.clientCapabilities ?? {};
    return { protocolVersion: 1, agentCapabilities: { loadSession: true }, authMethods: [] };
  })
  .onRequest('session/new', ({ params }) => {
    const sessionId = randomUUID();
    sessions.set(sessionId, { cwd: params.cwd, turn: null });
    return { sessionId, modes: { currentModeId: 'default', availableModes: MODES } };
  })
  .onRequest('session/load', async ({ params, client }) => {
    sessions.set(params.sessionId, { cwd: params.cwd, turn: null });
    await client.notify('session/update', { sessionId: params.sessionId,
      update: { sessionUpdate: 'user_message_chunk', content: text('earlier prompt') } });
    return {};
  })
  .onRequest('session/set_mode', async ({ params, client }) => {
    session(params.sessionId);
    await client.notify('session/update', { sessionId: params.sessionId,
      update: { sessionUpdate: 'current_mode_update', currentModeId: params.modeId } });
    return {};
  })
  .onNotification('session/cancel', ({ params }) => { sessions.get(params.sessionId)?.turn?.abort(); })
  .onRequest('session/prompt', async ({ params, client }) => {
    const s = session(params.sessionId);
    const controller = new AbortController();
    s.turn = controller;
    const signal = controller.signal;
    const turn = {
      sessionId: params.sessionId, cwd: s.cwd,
      cancel: () => controller.abort(),
      // After a cancel nothing more goes out: updates are dropped and every wait rejects with Cancelled.
      send: (update) => signal.aborted ? Promise.reject(new Cancelled())
        : client.notify('session/update', { sessionId: params.sessionId, update }),
      wait: (ms) => wait(signal, ms),
      ask: (method, request) => until(signal, client.request(method, request)),
    };
    const word = (params.prompt.find((b) => b.type === 'text')?.text ?? '').trim().split(/\s+/)[0];
    try {
      await turn.send({ sessionUpdate: 'plan',
        entries: [{ content: `run ${word}`, priority: 'high', status: 'in_progress' }] });
      await turn.send({ sessionUpdate: 'agent_thought_chunk', content: text(`thinking about ${word}`) });
      const script = Object.hasOwn(scripts, word) ? scripts[word] : (t) => t.send(message(`echo: ${word}`));
      await script(turn);
      await turn.send({ sessionUpdate: 'usage_update', used: 1000, size: 200000,
        cost: { amount: 0.01, currency: 'USD' } });
      return { stopReason: 'end_turn' };
    } catch (e) {
      if (e instanceof Cancelled || signal.aborted) return { stopReason: 'cancelled' };
      throw e;
    } finally {
      if (s.turn === controller) s.turn = null;
    }
  })
  .connect(acp.ndJsonStream(Writable.toWeb(process.stdout), Readable.toWeb(process.stdin)));
