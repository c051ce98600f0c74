import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { guessProgram, isBuiltInBoard, nodeLister } from '../../src/extension/launch/guess';

const lister = (tree: Record<string, string[]>) => ({ list: (dir: string) => tree[dir] ?? [] });

test('the ELF of the same name, next to the board or in a usual build folder', () => {
  assert.equal(
    guessProgram('/w/remap.board', lister({ '/w': ['remap.board', 'remap.elf', 'other.elf'] })),
    '/w/remap.elf',
  );
  assert.equal(
    guessProgram(
      '/w/remap.board',
      lister({ '/w': ['remap.board'], '/w/firmware/build': ['hello.elf', 'remap.elf'] }),
    ),
    '/w/firmware/build/remap.elf',
  );
  assert.equal(
    guessProgram('/w/b.board', lister({ '/w': ['b.board'], '/w/build': ['b.elf'] })),
    '/w/build/b.elf',
  );
});

test('otherwise the only ELF in the folder; nothing when it is not obvious', () => {
  assert.equal(guessProgram('/w/b.board', lister({ '/w': ['b.board', 'fw.ELF'] })), '/w/fw.ELF');
  assert.equal(
    guessProgram('/w/b.board', lister({ '/w': ['b.board', 'a.elf', 'c.elf'] })),
    undefined,
  );
  assert.equal(guessProgram('/w/b.board', lister({ '/w': ['b.board'] })), undefined);
});

test('the repository example: examples/remap.board runs examples/firmware/build/remap.elf', () => {
  const examples = join(__dirname, '..', '..', 'examples');
  assert.equal(
    guessProgram(join(examples, 'remap.board'), nodeLister),
    join(examples, 'firmware', 'build', 'remap.elf'),
  );
  assert.equal(guessProgram(join(examples, 'pc.board'), nodeLister), undefined);
});

test('built-in boards', () => {
  assert.equal(isBuiltInBoard('virt'), true);
  assert.equal(isBuiltInBoard('spike'), true);
  assert.equal(isBuiltInBoard('examples/remap.board'), false);
});
