// XML text → a plain element tree with MJCF element paths, via fast-xml-parser.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { MjcfError, fail } from './errors.ts';

/** One XML element: tag, raw attribute strings, child elements, and its MJCF path. */
export interface XmlElement {
  tag: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /**
   * Tags joined by '/', root `mujoco` omitted; each segment is `tag[name]` (or `tag[class]` for
   * `default`) when named, else `tag[i]` with i the index among same-tag siblings. Sections directly
   * under the root that occur once are bare (`worldbody`, `actuator`), e.g. `worldbody/body[thigh]/geom[0]`.
   */
  path: string;
}

type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
});

/** Parses an MJCF document; the root element must be `mujoco`. */
export function parseXml(xml: string): XmlElement {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new MjcfError('', undefined, `malformed XML at line ${line}, column ${col}: ${msg}`);
  }
  const nodes = (parser.parse(xml) as OrderedNode[]).filter((n) => !('#text' in n));
  if (nodes.length !== 1) fail('', undefined, `expected exactly one root element, found ${nodes.length}`);
  const root = toElement(nodes[0]!, '');
  if (root.tag !== 'mujoco') fail('', undefined, `root element must be <mujoco>, got <${root.tag}>`);
  return root;
}

function tagOf(node: OrderedNode): string {
  const tag = Object.keys(node).find((k) => k !== ':@');
  if (tag === undefined) throw new Error('fast-xml-parser returned a node without a tag');
  return tag;
}

function attrsOf(node: OrderedNode): Record<string, string> {
  const raw = (node[':@'] ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) out[key] = String(value);
  return out;
}

function toElement(node: OrderedNode, path: string): XmlElement {
  const tag = tagOf(node);
  const element: XmlElement = { tag, attrs: attrsOf(node), children: [], path };
  const kids = (node[tag] as OrderedNode[]).filter((child) => {
    if (!('#text' in child)) return true;
    if (String(child['#text']).trim() !== '') fail(path, undefined, `unexpected text content '${String(child['#text'])}'`);
    return false;
  });
  const tags = kids.map(tagOf);
  const counts = new Map<string, number>();
  kids.forEach((child, k) => {
    const childTag = tags[k]!;
    const index = counts.get(childTag) ?? 0;
    counts.set(childTag, index + 1);
    element.children.push(toElement(child, joinPath(path, childTag, attrsOf(child), index, tags)));
  });
  return element;
}

/** Path of a child: named → `tag[name]`; a section that is unique under the root → `tag`; else `tag[i]`. */
function joinPath(parent: string, tag: string, attrs: Record<string, string>, index: number, siblingTags: string[]): string {
  const label = tag === 'default' ? attrs.class : attrs.name;
  const uniqueSection = parent === '' && siblingTags.filter((t) => t === tag).length === 1;
  const segment = label ? `${tag}[${label}]` : uniqueSection ? tag : `${tag}[${index}]`;
  return parent === '' ? segment : `${parent}/${segment}`;
}
