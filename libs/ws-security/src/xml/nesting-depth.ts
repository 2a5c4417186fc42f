/**
 * Deepest element nesting in `xml`, found with a linear scan before any DOM is built so that a hostile document
 * cannot make later recursive walkers (canonicalisation, serialisation) overflow the stack. Comments, CDATA and
 * processing instructions are skipped; quoted attribute values may contain `>`. Malformed input is left for the
 * real parser to reject, so the scan only needs to be right for well-formed XML and to terminate on anything.
 * Stops early and returns as soon as `limit` is exceeded.
 */
export function nestingDepthExceeds(xml: string, limit: number): boolean {
  let depth = 0;
  let i = xml.indexOf('<');
  while (i !== -1 && i < xml.length) {
    if (xml.startsWith('<!--', i)) {
      i = skipPast(xml, '-->', i + 4);
    } else if (xml.startsWith('<![CDATA[', i)) {
      i = skipPast(xml, ']]>', i + 9);
    } else if (xml.startsWith('<?', i) || xml.startsWith('<!', i)) {
      i = skipPast(xml, '>', i + 2);
    } else if (xml.startsWith('</', i)) {
      depth -= 1;
      i = skipPast(xml, '>', i + 2);
    } else {
      const end = endOfStartTag(xml, i + 1);
      if (end === -1) return false;
      if (xml[end - 1] !== '/') {
        depth += 1;
        if (depth > limit) return true;
      }
      i = end + 1;
    }
    i = i === -1 ? -1 : xml.indexOf('<', i);
  }
  return false;
}

function skipPast(xml: string, terminator: string, from: number): number {
  const at = xml.indexOf(terminator, from);
  return at === -1 ? -1 : at + terminator.length;
}

function endOfStartTag(xml: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < xml.length; i++) {
    const c = xml[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return i;
    }
  }
  return -1;
}
