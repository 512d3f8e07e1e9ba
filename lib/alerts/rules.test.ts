import { describe, expect, it } from "vitest";
import { type DecisionObservation, denialBurst, newTool, outsideTask, outsideWindow } from "./rules";

const base: DecisionObservation = {
  decisionId: "evt_1",
  agentId: "agt_1",
  agentLabel: "build-bot",
  tool: "github.push",
  nodeId: "res_1",
  resource: "acme/api",
  decision: "allow",
  reasonCodes: ["granted"],
  task: null,
  at: new Date("2026-11-29T10:00:00Z"),
};
const o = (patch: Partial<DecisionObservation>): DecisionObservation => ({ ...base, ...patch });

describe("outsideTask", () => {
  it.each([
    ["no task", null, false],
    ["a task without declared tools", { id: "t1" }, false],
    ["a task declaring the tool", { id: "t1", tools: ["github.read", "github.push"] }, false],
    ["a task declaring other tools", { id: "t1", tools: ["github.read"] }, true],
    ["a task declaring no tools at all", { id: "t1", tools: [] }, true],
  ] as const)("%s -> %s", (_, task, fires) => {
    const c = outsideTask(o({ task: task as DecisionObservation["task"] }));
    expect(c !== null).toBe(fires);
    if (c) expect(c).toMatchObject({ rule: "outside_task", eventId: "evt_1", agentId: "agt_1" });
  });

  it("fires on denials too: asking is the anomaly", () => {
    expect(outsideTask(o({ decision: "deny", reasonCodes: ["no_grant"], task: { id: "t", tools: [] } }))?.message).toBe(
      "build-bot asked for github.push, which its task t does not declare (no tools)",
    );
  });
});

describe("outsideWindow", () => {
  it.each([
    ["allow", ["granted"], null],
    ["deny", ["no_grant"], null],
    ["deny", ["outside_schedule"], "outside its grant's schedule"],
    ["deny", ["expired", "no_grant"], "after its grant expired"],
    ["deny", ["not_yet_valid"], "before its grant is valid"],
    ["approval_required", ["approval_required"], null],
  ] as const)("%s %j -> %s", (decision, codes, why) => {
    const c = outsideWindow(o({ decision, reasonCodes: [...codes] }));
    if (why === null) expect(c).toBeNull();
    else expect(c?.message).toBe(`build-bot called github.push on acme/api ${why}`);
  });
});

describe("messages", () => {
  it("new_tool says whether it is the agent's first call ever", () => {
    expect(newTool(base, true).message).toBe("build-bot made its first tool call: github.push (decision allow)");
    expect(newTool(base, false).message).toBe("build-bot called github.push for the first time (decision allow)");
  });
  it("denial_burst names the count and the window", () => {
    expect(denialBurst(base, 12, { count: 10, minutes: 1 }).message).toBe("build-bot was denied 12 times in 1 minute (threshold 10)");
  });
});
