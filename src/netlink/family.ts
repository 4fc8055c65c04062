// The TIPC generic netlink family's name and version (TIPC_GENL_V2_NAME and
// TIPC_GENL_V2_VERSION in include/uapi/linux/tipc_netlink.h). A file of its
// own so that availability.ts, which the CLI file keeps for the exit-3 answer,
// does not bring the whole schema into every start (src/cli/bundle.ts, KEPT_LAZY).
export const TIPC_GENL = { name: 'TIPCv2', version: 1 } as const;
