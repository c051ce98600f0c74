/**
 * What a Markdown renderer (CommonMark + GFM, as VS Code's) would turn into something live:
 * links, images, autolinks, bare URLs, raw HTML. Code spans are removed first (per CommonMark: a
 * run of n backticks up to the next run of exactly n), then backslash escapes; what remains must
 * not contain any of these. Used to test that user strings are escaped in every Markdown we make.
 */
export function liveMarkdown(md: string): string[] {
  let text = '';
  for (let i = 0; i < md.length;) {
    if (md[i] === '\\' && i + 1 < md.length) {
      text += '\u0000'; // an escaped character is literal
      i += 2;
      continue;
    }
    if (md[i] === '`') {
      let n = 0;
      while (md[i + n] === '`') n++;
      let close = -1;
      for (let j = i + n; j < md.length;) {
        if (md[j] !== '`') {
          j++;
          continue;
        }
        let m = 0;
        while (md[j + m] === '`') m++;
        if (m === n) {
          close = j;
          break;
        }
        j += m;
      }
      if (close < 0) {
        text += md.slice(i, i + n); // an unmatched run is literal backticks
        i += n;
        continue;
      }
      text += '\u0001'; // a code span: literal
      i = close + n;
      continue;
    }
    text += md[i];
    i++;
  }
  const found: string[] = [];
  for (const [what, re] of [
    ['link', /\]\s*\(/],
    ['reference link', /\]\s*\[/],
    ['image', /!\[/],
    ['html or autolink', /<[a-zA-Z/!?]/],
    ['bare url', /\b(?:https?|ftp|file|command|javascript|data):/i],
    ['www autolink', /\bwww\./i],
  ] as const) {
    if (re.test(text)) found.push(what);
  }
  return found;
}
