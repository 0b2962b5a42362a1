// A module worker owning one kernel websocket: receives and decodes big frames off the
// page's main thread (socketrelay.ts says why). It ends itself when its socket closes.

import { relay, type RelayPort } from "./socketrelay";

const scope = self as unknown as RelayPort & { close(): void };
relay(scope, () => scope.close());
