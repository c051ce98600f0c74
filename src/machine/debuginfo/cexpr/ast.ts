/** The syntax tree of a C expression (every node keeps its column for error messages). */

export type TypeSpecifier =
  | { readonly kind: 'builtin'; readonly words: readonly string[] }
  | { readonly kind: 'tagged'; readonly tag: 'struct' | 'union' | 'enum'; readonly name: string }
  | { readonly kind: 'typedef'; readonly name: string };

export type Declarator =
  { readonly kind: 'pointer' } | { readonly kind: 'array'; readonly count: number | undefined };

export interface TypeExpression {
  readonly specifier: TypeSpecifier;
  /** Applied in order to the specifier: `int *[3]` is [pointer, array 3]. */
  readonly declarators: readonly Declarator[];
  readonly column: number;
}

export type Expression =
  | { readonly kind: 'identifier'; readonly name: string; readonly column: number }
  | { readonly kind: 'register'; readonly name: string; readonly column: number }
  /** gdb's `function::variable` (a static or local of another function). */
  | {
      readonly kind: 'scoped';
      readonly function: string;
      readonly name: string;
      readonly column: number;
    }
  | {
      readonly kind: 'integer';
      readonly value: bigint;
      readonly type: string;
      readonly column: number;
    }
  | {
      readonly kind: 'float';
      readonly value: number;
      readonly single: boolean;
      readonly column: number;
    }
  | { readonly kind: 'char'; readonly value: number; readonly column: number }
  | { readonly kind: 'string'; readonly bytes: readonly number[]; readonly column: number }
  | {
      readonly kind: 'unary';
      readonly operator: '-' | '+' | '!' | '~' | '*' | '&';
      readonly operand: Expression;
      readonly column: number;
    }
  | {
      readonly kind: 'binary';
      readonly operator: string;
      readonly left: Expression;
      readonly right: Expression;
      readonly column: number;
    }
  | {
      readonly kind: 'conditional';
      readonly test: Expression;
      readonly whenTrue: Expression;
      readonly whenFalse: Expression;
      readonly column: number;
    }
  | {
      readonly kind: 'assign';
      /** '=' or a compound operator without its '=' ('+' for '+='). */
      readonly operator: string;
      readonly target: Expression;
      readonly value: Expression;
      readonly column: number;
    }
  | {
      readonly kind: 'member';
      readonly object: Expression;
      readonly name: string;
      readonly arrow: boolean;
      readonly column: number;
    }
  | {
      readonly kind: 'index';
      readonly object: Expression;
      readonly index: Expression;
      readonly column: number;
    }
  | {
      readonly kind: 'cast';
      readonly type: TypeExpression;
      readonly operand: Expression;
      readonly column: number;
    }
  | { readonly kind: 'sizeofType'; readonly type: TypeExpression; readonly column: number }
  | { readonly kind: 'sizeofExpression'; readonly operand: Expression; readonly column: number };
