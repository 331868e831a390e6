// Validates an element's attributes against its spec, turning zod issues into MjcfErrors and collecting warnings.
import type { z } from 'zod';
import { fail } from './errors.ts';
import type { AttrsOf, ElementSpec } from './schema.ts';
import type { XmlElement } from './xml.ts';

/**
 * Parses `el`'s attributes with `spec`. Warned attributes are dropped with a warning naming
 * `path.attribute`; unknown attributes, missing required ones and bad values throw an MjcfError.
 */
export function readAttrs<S extends Record<string, z.ZodType>>(
  el: XmlElement,
  spec: ElementSpec<S>,
  warnings: string[],
): AttrsOf<ElementSpec<S>> {
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(el.attrs)) {
    const reason = Object.hasOwn(spec.warned, key) ? spec.warned[key] : undefined;
    if (reason === undefined) raw[key] = value;
    else warnings.push(`${el.path}.${key}: ignored (${reason})`);
  }
  for (const key of spec.required) {
    if (!(key in raw)) fail(el.path, key, `required attribute is missing on <${el.tag}>`);
  }
  const result = spec.schema.safeParse(raw);
  if (result.success) return result.data as AttrsOf<ElementSpec<S>>;
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const known = [...Object.keys(spec.schema.shape), ...Object.keys(spec.warned)].sort();
    fail(el.path, issue.keys[0], `unknown attribute on <${el.tag}> (supported: ${known.join(', ') || 'none'})`);
  }
  fail(el.path, String(issue.path[0]), issue.message);
}

/** Records a warning for an element that is read but not simulated (its children are not inspected). */
export function warnElement(el: XmlElement, reason: string, warnings: string[]): void {
  warnings.push(`${el.path}: <${el.tag}> ignored (${reason})`);
}

/** Throws for a child element that is not allowed (or not supported) inside its parent. */
export function rejectElement(el: XmlElement, parentTag: string, allowed: readonly string[]): never {
  return fail(el.path, undefined, `unsupported element <${el.tag}> inside <${parentTag}> (supported: ${allowed.join(', ')})`);
}
