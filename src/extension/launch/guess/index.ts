/**
 * Guessing the program to run with a board: ELF files found in the workspace, ranked.
 */
export { guessProgram, isBuiltInBoard } from './programGuess';
export { nodeLister } from './programGuessNode';
