/**
 * The Node platform's services for the pure layers: board files read from disk, with the
 * include rules every Node caller shares (the CLI, the debug adapter and the extension host's
 * `file:` reads). Node only; imports the board layer's types, nothing above it.
 */
export {
  BoardFileError,
  nodeBoardHost,
  readBoardFile,
  readBoardFileSync,
  readRegularFileSync,
  resolveBoardInclude,
} from './boardFiles';
