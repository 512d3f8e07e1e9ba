// Anomaly detection on the stream of decisions, off the response path. makeDecision hands each answered decision to
// observeDecision(), which only queues it (no I/O, no await): the rules run on the next turn of the event loop, a batch
// at a time, and their errors are logged, never thrown into a request. Losing observations when the process dies
// loses alerts, never decisions or their audit events.
//
// Per process, in memory: the tools each agent has used (loaded lazily from AgentToolUse, one query per agent per
// process), when each rule last fired for a key (so a repeated anomaly raises one alert, not one per call), and the
// burst threshold (re-read every SETTINGS_TTL_MS). Instances sharing a database agree on new tools through the
// AgentToolUse primary key (INSERT ... ON CONFLICT DO NOTHING: exactly one instance inserts, and only it alerts);
// suppression of repeats is per instance, so N instances may raise up to N copies of a repeated outside_task or
// outside_window alert in one window (denial bursts raise one: the alert is checked for in the database).
//
// Denial bursts are counted in memory: each agent's recent denials, read from the audit trail once per agent per
// process (so a restart forgets nothing) and then followed from the stream; on PostgreSQL, where instances share the
// trail, re-read at most every BURST_RELOAD_MS so that denials answered elsewhere count too. No query per batch.
import { databaseProvider, getDb } from "@/lib/db/client";
import { logUnexpected } from "@/lib/errors/log";
import { raiseAlert } from "./raise-alert";
import { type AlertCandidate, type DecisionObservation, IGNORED_TOOL_PREFIX, denialBurst, newTool, outsideTask, outsideWindow } from "./rules";
import { type AlertSettings, getAlertSettings } from "./settings";

/** An agent's tool calls during this long after its very first one are learned without an alert each: a new agent
 * starting up calls all its tools at once, and one "first tool call" alert says as much. Later new tools alert. */
export const BASELINE_MS = 60_000;
/** The same outside_task (agent, task, tool) or outside_window (agent, tool) anomaly alerts at most once this long. */
export const REPEAT_SUPPRESS_MS = 15 * 60_000;
const SETTINGS_TTL_MS = 5_000;
/** How stale an agent's denial count may be on a shared (PostgreSQL) database before it is read again. */
export const BURST_RELOAD_MS = 5_000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Beyond this many waiting observations (the database is down or far behind), new ones are dropped and counted. */
const MAX_QUEUE = 20_000;
/** Caches are dropped whole when they grow past this many keys: they refill lazily, and stay bounded. */
const MAX_KEYS = 50_000;

type Decided = { decision: DecisionObservation["decision"]; reasons: { code: string }[]; decision_id: string };
export type ObservedCall = Omit<DecisionObservation, "decisionId" | "decision" | "reasonCodes" | "agentId" | "agentLabel"> & {
  agentId: string | null;
  agentLabel: string;
};

export class AlertAnalyzer {
  private queue: DecisionObservation[] = [];
  private running: Promise<void> | null = null;
  private scheduled = false;
  private dropped = 0;
  private settings: { value: AlertSettings; readAt: number } | null = null;
  private readonly toolsByAgent = new Map<string, Promise<Set<string>>>();
  private readonly lastFired = new Map<string, number>();
  private readonly burstQuietUntil = new Map<string, number>();
  /** per agent: times (ms) of its latest denials within the burst window, oldest first; when read from the trail */
  private readonly denials = new Map<string, { times: number[]; readAt: number }>();

  observe(o: DecisionObservation): void {
    if (this.queue.length >= MAX_QUEUE) {
      if (this.dropped++ === 0) logUnexpected("anomaly detection", new Error(`observation queue full (${MAX_QUEUE}); dropping until it drains`));
      return;
    }
    this.queue.push(o);
    this.schedule();
  }

  /** Resolves once every observation queued so far has been analysed (tests, and graceful shutdown). */
  async idle(): Promise<void> {
    while (this.queue.length || this.running || this.scheduled) {
      await (this.running ?? new Promise((r) => setImmediate(r)));
    }
  }

  /** Forget the cached threshold (after an admin changed it on this instance). */
  forgetSettings(): void {
    this.settings = null;
  }

  private schedule(): void {
    if (this.running || this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.running = this.run().finally(() => {
        this.running = null;
        this.schedule();
      });
    });
  }

  private async run(): Promise<void> {
    const batch = this.queue.splice(0, this.queue.length);
    if (this.dropped) {
      logUnexpected("anomaly detection", new Error(`${this.dropped} decisions were not analysed (queue full)`));
      this.dropped = 0;
    }
    for (const [i, o] of batch.entries()) {
      // the ORM's SQLite driver is synchronous: give requests waiting on the event loop a turn between queries, so a
      // big batch never holds the loop (and the decisions behind it) for more than a few of them
      if (i % 32 === 31) await yieldToEventLoop();
      try {
        await this.analyse(o);
      } catch (e) {
        logUnexpected(`anomaly detection (decision ${o.decisionId})`, e);
      }
    }
    let settings: AlertSettings;
    try {
      settings = await this.currentSettings();
    } catch (e) {
      logUnexpected("anomaly detection (settings; the burst rule skips this batch)", e);
      return;
    }
    // the burst rule once per agent per batch, with that agent's denials in the batch
    const denied = new Map<string, DecisionObservation[]>();
    for (const o of batch) {
      if (o.decision !== "deny") continue;
      const list = denied.get(o.agentId);
      if (list) list.push(o);
      else denied.set(o.agentId, [o]);
    }
    for (const list of denied.values()) {
      try {
        await this.checkBurst(list, settings);
      } catch (e) {
        this.denials.delete(list[0]!.agentId); // read again next time
        logUnexpected(`anomaly detection (denial burst, agent ${list[0]!.agentId})`, e);
      }
    }
  }

  private async currentSettings(): Promise<AlertSettings> {
    const now = Date.now();
    if (!this.settings || now - this.settings.readAt > SETTINGS_TTL_MS) {
      const value = await getAlertSettings(getDb());
      const old = this.settings?.value.denialBurst;
      // the counts kept are as long as the old window and threshold: with new ones, read them again
      if (!old || old.count !== value.denialBurst.count || old.minutes !== value.denialBurst.minutes) this.denials.clear();
      this.settings = { value, readAt: now };
    }
    return this.settings.value;
  }

  private async analyse(o: DecisionObservation): Promise<void> {
    for (const rule of [outsideTask, outsideWindow]) {
      const c = rule(o);
      if (!c) continue;
      const key = c.rule === "outside_task" ? `${c.rule}|${o.agentId}|${o.task?.id}|${o.tool}` : `${c.rule}|${o.agentId}|${o.tool}`;
      if (!this.fire(key, o.at.getTime())) continue;
      try {
        await this.raise(rule(await this.named(o))!, o.at);
      } catch (e) {
        this.lastFired.delete(key); // not raised: the next occurrence may try again
        throw e;
      }
    }
    await this.checkNewTool(o);
  }

  /**
   * The observation with the agent's name for the alert's message. The decision's label comes from the authz
   * snapshot, which may not know an agent created since it was built; alerts are rare, so they may ask the database.
   */
  private async named(o: DecisionObservation): Promise<DecisionObservation> {
    if (o.agentLabel !== o.agentId) return o;
    const agent = await getDb().agent.findUnique({ where: { id: o.agentId }, select: { name: true } });
    return agent ? { ...o, agentLabel: agent.name } : o;
  }

  /** Whether `key` may fire at `at` (and then it is quiet for REPEAT_SUPPRESS_MS). */
  private fire(key: string, at: number): boolean {
    const last = this.lastFired.get(key);
    if (last !== undefined && at - last < REPEAT_SUPPRESS_MS && at >= last) return false;
    if (this.lastFired.size >= MAX_KEYS) this.lastFired.clear();
    this.lastFired.set(key, at);
    return true;
  }

  private async raise(c: AlertCandidate, at: Date): Promise<void> {
    await getDb().$transaction((tx) => raiseAlert(tx, c, at));
  }

  private knownTools(agentId: string): Promise<Set<string>> {
    let known = this.toolsByAgent.get(agentId);
    if (!known) {
      if (this.toolsByAgent.size >= MAX_KEYS) this.toolsByAgent.clear();
      known = getDb()
        .agentToolUse.findMany({ where: { agentId }, select: { toolName: true } })
        .then((rows) => new Set(rows.map((r) => r.toolName)));
      known.catch(() => this.toolsByAgent.delete(agentId)); // a failed load is retried by the next decision
      this.toolsByAgent.set(agentId, known);
    }
    return known;
  }

  /** (b) The agent's first call of this tool ever, on any instance. */
  private async checkNewTool(o: DecisionObservation): Promise<void> {
    if (o.tool.startsWith(IGNORED_TOOL_PREFIX)) return;
    const known = await this.knownTools(o.agentId);
    if (known.has(o.tool)) return;
    o = await this.named(o);
    await getDb().$transaction(async (tx) => {
      // the primary key decides which instance saw it first; only that one alerts
      const inserted = await tx.$executeRaw`INSERT INTO "AgentToolUse" ("agentId", "toolName", "firstUsedAt") VALUES (${o.agentId}, ${o.tool}, ${o.at}) ON CONFLICT DO NOTHING`;
      if (inserted === 0) return;
      const first = await tx.agentToolUse.findFirst({ where: { agentId: o.agentId }, orderBy: [{ firstUsedAt: "asc" }, { toolName: "asc" }] });
      const firstEver = !first || first.toolName === o.tool;
      const inBaseline = !firstEver && first !== null && o.at.getTime() - first.firstUsedAt.getTime() < BASELINE_MS;
      if (!inBaseline) await raiseAlert(tx, newTool(o, firstEver), o.at);
    });
    known.add(o.tool);
  }

  /** (c) At least `count` denials of this agent within `minutes`, and no burst alert for it in that window yet. */
  private async checkBurst(denied: DecisionObservation[], settings: AlertSettings): Promise<void> {
    const { count, minutes } = settings.denialBurst;
    let o = denied[denied.length - 1]!;
    const at = o.at.getTime();
    const since = at - minutes * 60_000;
    const db = getDb();
    let seen = this.denials.get(o.agentId);
    if (!seen || (databaseProvider() === "postgresql" && Date.now() - seen.readAt >= BURST_RELOAD_MS)) {
      await yieldToEventLoop();
      // the audit trail holds every instance's denials, these included (their rows commit before we run)
      const rows = await db.auditEvent.findMany({
        where: { actorId: o.agentId, createdAt: { gt: new Date(since), lte: o.at }, action: "decision.make", result: "deny" },
        select: { createdAt: true },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: count,
      });
      if (this.denials.size >= MAX_KEYS) this.denials.clear();
      seen = { times: rows.map((r) => r.createdAt.getTime()).reverse(), readAt: Date.now() };
      this.denials.set(o.agentId, seen);
    } else {
      for (const d of denied) seen.times.push(d.at.getTime());
    }
    // the window ends at this denial; only the latest `count` matter
    seen.times = seen.times.filter((t) => t > since && t <= at).slice(-count);
    if (seen.times.length < count) return;
    const quietUntil = this.burstQuietUntil.get(o.agentId);
    if (quietUntil !== undefined && at < quietUntil) return;
    o = await this.named(o);
    const sinceDate = new Date(since);
    const raisedAt = await db.$transaction(async (tx) => {
      const open = await tx.alert.findFirst({
        where: { agentId: o.agentId, rule: "denial_burst", createdAt: { gt: sinceDate, lte: o.at } },
        orderBy: { createdAt: "desc" },
        select: { createdAt: true },
      });
      if (open) return open.createdAt; // one alert per burst window, whichever instance raised it
      await raiseAlert(tx, denialBurst(o, seen.times.length, settings.denialBurst), o.at);
      return o.at;
    });
    if (this.burstQuietUntil.size >= MAX_KEYS) this.burstQuietUntil.clear();
    this.burstQuietUntil.set(o.agentId, raisedAt.getTime() + minutes * 60_000);
  }
}

const g = globalThis as unknown as { __deputyAlertAnalyzer?: AlertAnalyzer };
/** One analyzer per process (on globalThis: the fast-path bundle and Next's bundle share it). */
export function alertAnalyzer(): AlertAnalyzer {
  return (g.__deputyAlertAnalyzer ??= new AlertAnalyzer());
}

/**
 * The hook at the end of makeDecision: queues the answered decision for the rules and returns it unchanged. Costs a
 * push and at most one setImmediate; decisions without an agent (inactive or foreign tokens) are not observed.
 */
export function observeDecision<T extends Decided>(result: T, call: ObservedCall): T {
  if (call.agentId) {
    alertAnalyzer().observe({
      ...call,
      agentId: call.agentId,
      decisionId: result.decision_id,
      decision: result.decision,
      reasonCodes: result.reasons.map((r) => r.code),
    });
  }
  return result;
}
