/** DOM helpers shared by the flat view's parts. */

/** A new element of `tag` with `className`. */
export function el(tag: string, className: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}
