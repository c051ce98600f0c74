/**
 * WCAG contrast of a cell's text against what is painted behind it in the page: the computed
 * colours of the cell and its ancestors (rgb(), rgba() and color(srgb …) as Chromium reports
 * them, e.g. for color-mix), composited from the page background up.
 */
import type { Locator } from 'playwright-core';

type Rgba = [number, number, number, number];

export function parseCssColour(text: string): Rgba {
  const rgb = /^rgba?\(([^)]+)\)$/.exec(text.trim());
  if (rgb) {
    const [r, g, b, a] = rgb[1]!
      .split(/[\s,/]+/)
      .filter(Boolean)
      .map(Number);
    return [r! / 255, g! / 255, b! / 255, a ?? 1];
  }
  const srgb = /^color\(srgb ([^)]+)\)$/.exec(text.trim());
  if (srgb) {
    const [r, g, b, a] = srgb[1]!
      .split(/[\s/]+/)
      .filter(Boolean)
      .map(Number);
    return [r!, g!, b!, a ?? 1];
  }
  throw new Error(`unparsed colour ${text}`);
}

function over(top: Rgba, under: Rgba): Rgba {
  const a = top[3];
  return [
    top[0] * a + under[0] * (1 - a),
    top[1] * a + under[1] * (1 - a),
    top[2] * a + under[2] * (1 - a),
    1,
  ];
}

function luminance([r, g, b]: Rgba): number {
  const lin = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrastRatio(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The contrast of `cell`'s text against its painted background. */
export async function textContrast(cell: Locator): Promise<number> {
  const { colour, backgrounds, opacity } = await cell.evaluate((el) => {
    const chain: string[] = [];
    for (let n: Element | null = el; n; n = n.parentElement) {
      chain.push(getComputedStyle(n).backgroundColor);
    }
    const style = getComputedStyle(el);
    return { colour: style.color, backgrounds: chain, opacity: Number(style.opacity) };
  });
  let behind: Rgba = [1, 1, 1, 1];
  for (const bg of backgrounds.reverse()) behind = over(parseCssColour(bg), behind);
  const text = parseCssColour(colour);
  const painted = over([text[0], text[1], text[2], text[3] * opacity], behind);
  return contrastRatio(painted, behind);
}
