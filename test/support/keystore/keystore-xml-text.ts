/** Reads a child element's text of the credential with `id` straight from the XML, independently of the reader. */
export function fixtureField(xml: string, id: string, element: string): string {
  const start = xml.indexOf(`id="${id}"`);
  if (start < 0) throw new Error(`fixture has no credential ${id}`);
  const match = new RegExp(`<${element}>([^<]*)</${element}>`).exec(xml.slice(start));
  if (!match) throw new Error(`fixture credential ${id} has no <${element}>`);
  return match[1];
}

/** The `<credential …>…</credential>` block of `id`. */
export function credentialBlock(xml: string, id: string): string {
  const blocks = xml.match(/<credential\b[\s\S]*?<\/credential>/g) ?? [];
  const block = blocks.find((b) => b.includes(`id="${id}"`));
  if (!block) throw new Error(`fixture has no credential ${id}`);
  return block;
}
