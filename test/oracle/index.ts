// QEMU 7.2 `info mtree` and probe captures, copied verbatim from the team's shared/oracle/qemu-7.2
// (see its README for the command lines) so the tests do not depend on where shared/ sits.
import { join } from 'node:path';

export const QEMU_ORACLE = join(__dirname, 'qemu-7.2');
