import { describe, expect, it } from "vitest";
import { engineRequiresApprovalForIrreversible, evaluatePosture, type PostureFacts, type PostureStatus } from "./evaluate-posture";

// Each item as a table: a healthy installation passes everything it can see; each row breaks one fact.
const NOW = new Date("2026-11-29T12:00:00Z");
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);
const bot = { id: "agt_bot", name: "build-bot" };
const other = { id: "agt_other", name: "deploy-bot" };

function healthy(): PostureFacts {
  return {
    now: NOW,
    agents: { active: 2, withoutCredentials: [], withoutCredentialsCount: 0, sharedKeys: [] },
    tokens: { maxTtl: { seconds: 600, agent: bot }, overLimit: [], overLimitCount: 0 },
    secrets: { active: 2, oldest: { createdAt: daysAgo(30), agent: bot }, stale: [], staleCount: 0 },
    lastDrill: { id: "drl_1", status: "passed", timeToEffectMs: 42, finishedAt: daysAgo(3) },
    irreversibleTools: [{ id: "tol_1", name: "payments.refund", approvalPolicy: "any", approvalQuorum: 1, approvalTtlSeconds: 600 }],
    decisions: { count: 120, latestAt: daysAgo(0) },
    delegation: { tokenExchange: true, rules: 1, exchanges: 3, checked: 3, unmatched: 0, widened: [] },
  };
}

const item = (facts: PostureFacts, id: string, engine = true) => evaluatePosture(facts, engine).items.find((i) => i.id === id)!;
const status = (facts: PostureFacts, id: string, engine = true): PostureStatus => item(facts, id, engine).status;
const change = (f: (p: PostureFacts) => void) => {
  const p = healthy();
  f(p);
  return p;
};

describe("evaluatePosture", () => {
  it("passes every item of a healthy installation, each with its evidence", () => {
    const r = evaluatePosture(healthy(), true);
    expect(r.items.map((i) => [i.id, i.status])).toEqual([
      ["own_credentials", "pass"],
      ["token_lifetime", "pass"],
      ["secret_rotation", "pass"],
      ["kill_drill", "pass"],
      ["irreversible_approval", "pass"],
      ["tool_calls_audited", "pass"],
      ["delegation_narrows", "pass"],
    ]);
    expect(r.summary).toEqual({ pass: 7, fail: 0, unknown: 0 });
    for (const i of r.items) expect(i.evidence.length).toBeGreaterThan(0);
  });

  it("own credentials: fails for an active agent without one, or a key on two agents; unknown without agents", () => {
    const without = change((p) => {
      p.agents.withoutCredentials = [bot];
      p.agents.withoutCredentialsCount = 3;
      p.agents.active = 5;
    });
    expect(status(without, "own_credentials")).toBe("fail");
    expect(item(without, "own_credentials").evidence.join(" ")).toContain("3 of 5 active agents have no credential of their own: build-bot and 2 more");
    expect(item(without, "own_credentials").fix).toEqual({ label: "Give build-bot a secret or key, or suspend it", href: "/agents/agt_bot" });
    const shared = change((p) => {
      p.agents.sharedKeys = [{ thumbprint: "abcdefabcdefabcdef", agents: [bot, other] }];
    });
    expect(status(shared, "own_credentials")).toBe("fail");
    expect(item(shared, "own_credentials").evidence.join(" ")).toContain("registered on 2 agents: build-bot, deploy-bot");
    expect(status(change((p) => (p.agents.active = 0)), "own_credentials")).toBe("unknown");
  });

  it("token lifetime: fails above an hour", () => {
    const long = change((p) => {
      p.tokens.overLimit = [{ ...bot, seconds: 7200 }];
      p.tokens.overLimitCount = 1;
    });
    expect(status(long, "token_lifetime")).toBe("fail");
    expect(item(long, "token_lifetime").evidence[0]).toContain("build-bot (7200 s)");
    expect(item(healthy(), "token_lifetime").evidence[0]).toBe("Longest agent token lifetime: 600 s (build-bot).");
  });

  it("secret rotation: fails with a secret older than 90 days; unknown without secrets", () => {
    const stale = change((p) => {
      p.secrets.stale = [{ ...bot, createdAt: daysAgo(120) }];
      p.secrets.staleCount = 1;
    });
    expect(status(stale, "secret_rotation")).toBe("fail");
    expect(item(stale, "secret_rotation").evidence[0]).toContain("build-bot (created 120 days ago)");
    expect(item(stale, "secret_rotation").fix?.href).toBe("/agents/agt_bot");
    expect(
      status(
        change((p) => {
          p.secrets.active = 0;
          p.secrets.oldest = null;
        }),
        "secret_rotation",
      ),
    ).toBe("unknown");
  });

  it.each([
    ["no drill ever", null, "fail"],
    ["a passed drill 3 days ago at 42 ms", { status: "passed", timeToEffectMs: 42, days: 3 }, "pass"],
    ["a passed drill 31 days ago", { status: "passed", timeToEffectMs: 42, days: 31 }, "fail"],
    ["a failed drill", { status: "failed", timeToEffectMs: null, days: 1 }, "fail"],
    ["a drill at 1000 ms", { status: "passed", timeToEffectMs: 1000, days: 1 }, "fail"],
  ] as const)("kill drill: %s -> %s", (_, drill, expected) => {
    const facts = change((p) => {
      p.lastDrill = drill ? { id: "drl_x", status: drill.status, timeToEffectMs: drill.timeToEffectMs, finishedAt: daysAgo(drill.days) } : null;
    });
    expect(status(facts, "kill_drill")).toBe(expected);
    if (expected === "fail") expect(item(facts, "kill_drill").fix).toEqual({ label: "Run a drill", href: "/settings/drills" });
  });

  it("irreversible approval: the engine's own answer decides first, then each tool's approval settings", () => {
    expect(engineRequiresApprovalForIrreversible(NOW)).toBe(true);
    expect(status(healthy(), "irreversible_approval", false)).toBe("fail");
    const weak = change((p) => {
      p.irreversibleTools.push({ id: "tol_2", name: "db.drop", approvalPolicy: "quorum", approvalQuorum: 0, approvalTtlSeconds: 600 });
    });
    expect(status(weak, "irreversible_approval")).toBe("fail");
    expect(item(weak, "irreversible_approval").evidence[1]).toContain("db.drop (policy quorum, quorum 0)");
    const none = change((p) => (p.irreversibleTools = []));
    expect(status(none, "irreversible_approval")).toBe("pass");
    expect(item(none, "irreversible_approval").fix?.href).toBe("/tools");
  });

  it("tool calls audited: pass with recent decisions, unknown with none", () => {
    expect(item(healthy(), "tool_calls_audited").evidence[0]).toContain("120 decisions audited in the last 7 days");
    expect(status(change((p) => (p.decisions = { count: 0, latestAt: null })), "tool_calls_audited")).toBe("unknown");
  });

  it.each([
    ["token exchange not enabled", { tokenExchange: false, exchanges: 0, checked: 0 }, "unknown", "not enabled"],
    ["no exchanges yet", { exchanges: 0, checked: 0 }, "unknown", "No token exchanges in the last 7 days"],
    ["parents not in the trail", { exchanges: 4, checked: 0, unmatched: 4 }, "unknown", "not in the audit trail"],
    ["every compared exchange narrower", { exchanges: 30, checked: 18, unmatched: 2 }, "pass", "The newest 18 of 30 token exchanges"],
    ["an exchange that widened", { widened: [{ eventId: "evt_w", extra: ["db.drop"] }] }, "fail", "Exchange evt_w issued tools its parent token did not hold: db.drop"],
  ] as const)("delegation: %s -> %s", (_, patch, expected, says) => {
    const facts = change((p) => Object.assign(p.delegation, patch));
    expect(status(facts, "delegation_narrows")).toBe(expected);
    expect(item(facts, "delegation_narrows").evidence.join(" ")).toContain(says);
  });
});
