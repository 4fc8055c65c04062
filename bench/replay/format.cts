/** The replay fixture's index (bench/replay/fixture.ts writes it, bench/replay/preload.cts reads it). */
export interface ReplayIndex {
    /** Where the recording came from. */
    about: string;
    familyName: string;
    familyId: number;
    familyVersion: number;
    familyMaxAttr: number;
    /** The largest datagram the fixture was packed into (a DONE joins the last one if it fits). */
    datagramBytes: number;
    /** genl command number -> file (beside the index) of datagrams, each prefixed by its u32 LE length. */
    dumps: Record<number, string>;
    /** This namespace's own address, as getsockname on an AF_TIPC socket gives it. */
    ownAddress: number;
    /** Peer address (decimal) -> 16-byte identity in hex, as SIOCGETNODEID gives it. */
    nodeIds: Record<string, string>;
}
