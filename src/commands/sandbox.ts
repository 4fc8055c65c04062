// sandbox: placeholder until src/lab/sandbox.ts lands.
import { defineCommand } from '../cli/registry.js';
import { OperationError } from '../netlink/errors.js';

export default defineCommand({
  async run() {
    throw new OperationError(0, 'tipcx sandbox is not implemented yet');
  },
});
