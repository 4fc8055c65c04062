import { commandResult, defineCommand } from '../../cli/registry.js';
import { socketListText, socketRecords } from '../../render/socket.js';
import { listSockets } from '../../tipc/socket.js';
import { inSession } from '../session.js';

export default defineCommand({
  async run(ctx) {
    const sockets = await inSession(ctx, listSockets);
    return commandResult(socketRecords(sockets), socketListText);
  },
});
