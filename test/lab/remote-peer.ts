// Payload of the test suite's peer VM (booted by test/run-all.ts before the
// main VM): its root namespace is TIPC node `remote1` with an eth bearer on
// eth0, the NIC that appears as eth0 in the main VM's root namespace.
import { announceReadyAndStay, configureRootAsNode } from '../../src/lab/remote-inside.js';

/** Kept in step with remotePeer() in test/integration/lab.ts. */
const REMOTE_PEER_IDENTITY = 'remote1';

await configureRootAsNode(REMOTE_PEER_IDENTITY);
announceReadyAndStay();
