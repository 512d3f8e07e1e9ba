// The snapshot every decision reads, held in memory. Invariant: it is rebuilt before use whenever this process has
// changed authorization data (invalidateLocalAuthz) or the shared `authz` counter has moved, which every instance
// checks at most every CHECK_INTERVAL_MS: a change made anywhere is honoured everywhere within well under a second.
// One rebuild runs at a time; callers arriving meanwhile wait for it rather than starting their own.
import type { Db } from "@/lib/db/client";
import { localAuthzEpoch, readAuthzVersion } from "@/lib/grants/authz-version";
import { type LoadedAuthz, loadSnapshot } from "./load-snapshot";

export const CHECK_INTERVAL_MS = 250;

type State = {
  loaded: LoadedAuthz | null;
  version: number;
  localEpoch: number;
  checkedAt: number;
  building: Promise<LoadedAuthz> | null;
};

const g = globalThis as unknown as { __deputyAuthzSnapshot?: State };
const state: State = (g.__deputyAuthzSnapshot ??= { loaded: null, version: -1, localEpoch: -1, checkedAt: 0, building: null });

async function rebuild(db: Db): Promise<LoadedAuthz> {
  state.building ??= (async () => {
    try {
      // read the version first: a change committed during the load bumps it again, and the next check rebuilds
      const version = await readAuthzVersion(db);
      const epoch = localAuthzEpoch();
      const loaded = await loadSnapshot(db);
      Object.assign(state, { loaded, version, localEpoch: epoch, checkedAt: Date.now() });
      return loaded;
    } finally {
      state.building = null;
    }
  })();
  return state.building;
}

export async function currentAuthz(db: Db, now = Date.now()): Promise<LoadedAuthz> {
  if (state.loaded === null || state.localEpoch !== localAuthzEpoch()) return rebuild(db);
  if (now - state.checkedAt >= CHECK_INTERVAL_MS) {
    state.checkedAt = now;
    if ((await readAuthzVersion(db)) !== state.version) return rebuild(db);
  }
  return state.loaded;
}
