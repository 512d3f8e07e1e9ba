// Who did something. Every use case takes one and every audit event records one.
export type Actor =
  | { type: "user"; id: string; label: string }
  | { type: "api_key"; id: string; label: string }
  | { type: "agent"; id: string; label: string }
  | { type: "system"; id: string; label: string };

export const systemActor = (id: string, label = id): Actor => ({ type: "system", id, label });
