/**
 * A scenario file's text, JSON or YAML, as the one document scenario-file.ts validates. A name
 * ending in .yaml or .yml is YAML; any other text is JSON if JSON.parse takes it, and YAML
 * otherwise (YAML 1.2 is a superset of JSON, so a pasted JSON file with a trailing comma reads too).
 * Both end in validateDocument, so YAML can loosen no check a JSON file gets.
 *
 * YAML is a larger attack surface than JSON, so the reader narrows it to JSON's data model, each
 * refusal with the line and column: no tags (!!js/function, !foo, even !!str) and no directives
 * (%YAML 1.1 would switch on its schema: sexagesimals, yes/no booleans, merge keys), one document
 * per file, keys that are plain or quoted names given once, no .inf or .nan, nesting refused while
 * parsing, aliases capped (`maxYamlAliases`) and the text too (`maxYamlBytes`). Kept apart
 * from scenario-file.ts so the page's worker, which gets an already parsed document, does not
 * carry the YAML parser.
 */
import {
  CST,
  Composer,
  Lexer,
  LineCounter,
  Parser,
  isMap,
  isNode,
  isScalar,
  isSeq,
  type Document,
} from 'yaml';
import {
  SCENARIO_LIMITS,
  ScenarioFileError,
  checkFileSize,
  validateDocument,
  type ScenarioFile,
} from './scenario-file.ts';

/** Which syntax a text was read as. */
export type ScenarioSyntax = 'json' | 'yaml';

/** A scenario text read and validated: the plain document (what the page posts to its worker) and the file. */
export interface ParsedScenarioText {
  syntax: ScenarioSyntax;
  doc: unknown;
  file: ScenarioFile;
}

/** A position in the text, 1-based as editors show it. */
interface Pos {
  line: number;
  col: number;
}

/** The core schema's .inf and .nan: JSON has neither, and a limit of "infinity" is spelled "max". */
const NON_FINITE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** True if `name` (a path or file name) says YAML. */
function isYamlName(name: string | undefined): boolean {
  return name !== undefined && /\.ya?ml$/i.test(name);
}

/** The text being read, its line starts, and what it is read as (for messages). */
interface Source {
  text: string;
  lines: LineCounter;
  /** "YAML", or "JSON or YAML" for a text that opened like JSON but JSON.parse refused. */
  what: string;
}

function failAt(src: Source, offset: number, message: string): never {
  const { line, col } = src.lines.linePos(offset);
  let l = src.text.split('\n', line)[line - 1] ?? '';
  if (l.length > 60) l = `${l.slice(0, 57)}...`;
  throw new ScenarioFileError(
    '$',
    `not valid ${src.what}: line ${line}, column ${col}: ${message} (${JSON.stringify(l)})`,
  );
}

/**
 * The CST of the text. Checks run on the lexemes as they come, so a refusal costs nothing
 * beyond the text before it: nesting deeper than `maxJsonDepth`, refused as soon as the parser's stack reaches it
 * (the stack grows with nesting, and the composer after it recurses, so a megabyte of "[" would
 * otherwise cost seconds and most of a gigabyte), and what JSON has no counterpart for: tags,
 * directives, and .inf or .nan.
 */
function parseCst(src: Source): CST.Token[] {
  const parser = new Parser(src.lines.addNewLine);
  src.lines.addNewLine(0);
  const tokens: CST.Token[] = [];
  // The document, its collections and the scalar being read: two more than its own nesting.
  const maxStack = SCENARIO_LIMITS.maxJsonDepth + 2;
  // The lexer marks a plain scalar with a lexeme of its own; the next lexeme is the scalar's text.
  let plain = false;
  for (const lexeme of new Lexer().lex(src.text)) {
    const at = parser.offset;
    const type: string | null = plain ? 'plain' : CST.tokenType(lexeme);
    if (type === 'tag')
      failAt(
        src,
        at,
        `tag ${lexeme} refused: a scenario file is plain data, and tags are how YAML loaders build objects`,
      );
    if (type === 'directive-line')
      failAt(src, at, 'directives (%YAML, %TAG) are refused: the file is read as YAML 1.2, core schema');
    if (type === 'plain' && NON_FINITE.test(lexeme))
      failAt(src, at, `${lexeme} is not a JSON number; write a number, or "max" where a size allows it`);
    plain = type === 'scalar';
    for (const t of parser.next(lexeme)) tokens.push(t);
    if (parser.stack.length > maxStack)
      failAt(src, at, `nested deeper than ${SCENARIO_LIMITS.maxJsonDepth} levels (maxJsonDepth)`);
  }
  for (const t of parser.end()) tokens.push(t);
  return tokens;
}

/**
 * Refuse keys JSON could not have: one that is not a scalar (a map, a list or an alias would come
 * back as its text) and one given twice in a mapping (JSON.parse keeps the last silently). Walks
 * the composed document with an explicit stack, without following aliases: the anchored node is
 * checked where it stands.
 */
function checkKeys(src: Source, yaml: Document.Parsed): void {
  const stack: unknown[] = [yaml.contents];
  while (stack.length) {
    const n = stack.pop();
    if (isSeq(n)) for (const item of n.items) stack.push(item);
    if (!isMap(n)) continue;
    const seen = new Set<string>();
    for (const pair of n.items) {
      const key: unknown = pair.key;
      if (!isScalar(key)) {
        const node = isNode(key) ? key : isNode(pair.value) ? pair.value : null;
        failAt(src, node?.range?.[0] ?? 0, 'a key must be a plain or quoted name, as in JSON');
      }
      const name = String(key.value);
      if (seen.has(name)) failAt(src, key.range?.[0] ?? 0, `key ${JSON.stringify(name)} appears twice`);
      seen.add(name);
      stack.push(pair.value);
    }
  }
}

/** A YAML text as a plain document, or a ScenarioFileError with the line and column. */
function readYaml(src: Source): { doc: unknown; yaml: Document.Parsed } {
  const tokens = parseCst(src);
  // uniqueKeys off: the package's check compares each key with every earlier one (0.4 s for a
  // 9 000-key map); checkKeys does it with a set.
  const composer = new Composer({ version: '1.2', schema: 'core', uniqueKeys: false, logLevel: 'error' });
  const docs = Array.from(composer.compose(tokens, true, src.text.length));
  const yaml = docs[0];
  if (!yaml) failAt(src, 0, 'no document');
  if (docs.length > 1)
    failAt(src, docs[1]?.range[0] ?? 0, 'a scenario file is one YAML document (remove the second "---")');
  const problem = yaml.errors[0] ?? yaml.warnings[0];
  if (problem) failAt(src, problem.pos[0], problem.message);
  checkKeys(src, yaml);
  try {
    // Aliases come back as shared references, so a bomb costs nothing here; it is every walk after
    // (validation, the structured clone to the worker, JSON output) that would pay the expansion.
    return { doc: yaml.toJS({ maxAliasCount: SCENARIO_LIMITS.maxYamlAliases }), yaml };
  } catch (e) {
    const message = (e as Error).message;
    throw new ScenarioFileError(
      '$',
      /alias count/i.test(message)
        ? `not valid ${src.what}: aliases expand past ${SCENARIO_LIMITS.maxYamlAliases} copies (maxYamlAliases); write the repeated part out, or use "count"`
        : `not valid ${src.what}: ${message}`,
    );
  }
}

/**
 * The keys of a validation error's JSON path ("$.tree.children[1].workload.hot",
 * "$.set[\"sim.quantumUs\"]"), to find the YAML node it names. Null if it does not read as one.
 */
function pathKeys(path: string): (string | number)[] | null {
  const keys: (string | number)[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  re.lastIndex = 1;
  if (!path.startsWith('$')) return null;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) return null;
    keys.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3] as string) as string)));
  }
  return keys;
}

/** Where in the YAML text the node at `path` (or its nearest parent there) starts. */
function locate(yaml: Document.Parsed, lines: LineCounter, path: string): Pos | null {
  const keys = pathKeys(path);
  if (!keys) return null;
  for (let n = keys.length; n >= 0; n--) {
    const node: unknown = yaml.getIn(keys.slice(0, n), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]);
  }
  return null;
}

/**
 * Read `text` (JSON or YAML, see the module comment) and validate it. `name`, a path or file name,
 * decides only for .yaml/.yml; without one the content decides. A validation error in a YAML file
 * also gets the line and column of the field it names.
 */
export function parseScenarioText(text: string, name?: string): ParsedScenarioText {
  checkFileSize(text);
  const yamlName = isYamlName(name);
  if (!yamlName) {
    let json: unknown;
    let isJson = true;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      isJson = false;
    }
    if (isJson) return { syntax: 'json', doc: json, file: validateDocument(json) };
  }
  const src: Source = {
    text,
    lines: new LineCounter(),
    what: !yamlName && /^\s*[{[]/.test(text) ? 'JSON or YAML' : 'YAML',
  };
  if (text.length > SCENARIO_LIMITS.maxYamlBytes)
    throw new ScenarioFileError(
      '$',
      `${yamlName ? 'the YAML file' : 'the file is not JSON, and as YAML it'} is larger than ${SCENARIO_LIMITS.maxYamlBytes} bytes (maxYamlBytes)`,
    );
  const { doc, yaml } = readYaml(src);
  try {
    return { syntax: 'yaml', doc, file: validateDocument(doc) };
  } catch (e) {
    if (!(e instanceof ScenarioFileError)) throw e;
    const pos = locate(yaml, src.lines, e.path);
    if (!pos) throw e;
    throw new ScenarioFileError(e.path, `${e.detail} (line ${pos.line}, column ${pos.col})`);
  }
}
