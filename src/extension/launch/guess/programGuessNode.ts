/** The file system lister for guessProgram in the extension host (Node). */
import { readdirSync } from 'node:fs';
import type { DirectoryLister } from './programGuess';

export const nodeLister: DirectoryLister = {
  list(dir: string): readonly string[] {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
};
