// Ink 6 keeps two caches that never shrink: measure-text.js (every text it
// has measured) and wrap-text.js (every text wrapped at every width). A
// monitor left running draws new strings every frame (cycle counters, log
// lines), so they would grow for as long as the TUI is open. Both modules
// are loaded through boundInkCaches, which clears a cache once it holds
// CACHE_LIMIT entries: a miss costs one measurement or wrap, what the first
// frame after the clear pays. And render-node-to-output.js, which draws
// every text of every frame, measures its width through measure-text's
// cache instead of measuring it afresh each time (string-width cuts a text
// with ANSI styles or any character outside ASCII into graphemes, new
// objects for each: profiled at 120x40 running, about a millisecond and a
// third of a megabyte of garbage a frame; the same width either way). And
// squash-text-nodes.js keeps each text node's squashed text while its
// children are the same (SQUASH_KEPT says when).
//
// Where the rewrite is applied: the bundled CLI (bundle-cli.mjs) rewrites
// the modules as it bundles Ink; everywhere else (the CLI run from source
// with tsx, or tsc's dist unbundled) the TUI registers ink-caches-hook.mjs,
// a module loader hook that rewrites them as Node loads them
// (src/tui/ink-caches-module.ts). It throws when the code it rewrites is
// not there (another Ink version), so the build fails, and the TUI says so,
// rather than run with the leak silently. Each rewritten module exports
// inkCachesBounded (CACHE_LIMIT), and measure-text and wrap-text their
// cache's size (inkCacheSize), so that a test can see which Ink was loaded.

/** Entries a cache may hold before it is emptied. */
export const CACHE_LIMIT = 8192;

const MARK = `\nexport const inkCachesBounded = ${CACHE_LIMIT};\n`;

/**
 * measure-text.js: the width of a text that has only characters of one
 * column each that are graphemes of their own (printable ASCII, the middle
 * dot, the ellipsis, the four arrows, the box-drawing and block elements,
 * and the geometric shapes up to U+25FC: the black square, the status
 * line's ▶) and SGR sequences is counted, not measured:
 * string-width strips the styles (a new string) and cuts any text with a
 * character outside ASCII into graphemes (new objects for each), for every
 * text that changed (the lines the panes draw, which have styles in them
 * once their Texts are squashed). The same width as string-width's
 * (test/tui/ink-caches.test.ts); any other text is measured as before.
 */
const PLAIN_WIDEST = `const plainSgr = /\\x1b\\[[0-9;]*m/y;
const plainWide = (c) => (c >= 0x20 && c <= 0x7e) || c === 0xb7 || c === 0x2026 || (c >= 0x2190 && c <= 0x2193) || (c >= 0x2500 && c <= 0x25fc);
const plainWidest = (text) => {
    let widest = 0, width = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x0a) { if (width > widest) widest = width; width = 0; }
        else if (c === 0x1b) {
            plainSgr.lastIndex = i;
            const m = plainSgr.exec(text);
            if (!m) return undefined;
            i += m[0].length - 1;
        }
        else if (plainWide(c)) width++;
        else return undefined;
    }
    return width > widest ? width : widest;
};`;

/**
 * squash-text-nodes.js: a text node's squashed text (its children's text
 * concatenated, each nested Text's styles applied with chalk, then
 * sanitized, which tokenizes any text with styles in it) is kept on the
 * node with what it was made from (each child, and its text or its
 * transform), and given again while those are the same: Ink squashes every
 * text node of every frame twice (to measure it and to draw it), while a
 * memoized line (src/tui/panes/common.ts) keeps its nodes and their texts
 * from one frame to the next. A child's transform is a new function
 * whenever React renders its Text again, so a Text rendered again is
 * squashed again.
 */
const SQUASH_KEPT = `const squashParts = (node) => {
    const parts = [];
    for (const c of node.childNodes) parts.push(c, c === undefined ? undefined : c.nodeName === '#text' ? c.nodeValue : c.internal_transform);
    return parts;
};
const squashKept = (node, parts) => {
    const children = node.childNodes;
    if (parts.length !== 2 * children.length) return false;
    for (let i = 0; i < children.length; i++) {
        const c = children[i];
        if (parts[2 * i] !== c) return false;
        if (c === undefined) continue;
        if (c.nodeName === '#text') { if (parts[2 * i + 1] !== c.nodeValue) return false; continue; }
        if (parts[2 * i + 1] !== c.internal_transform) return false;
        if ((c.nodeName === 'ink-text' || c.nodeName === 'ink-virtual-text') && (c.internal_squashed === undefined || !squashKept(c, c.internal_squashed.parts))) return false;
    }
    return true;
};
const squashTextNodes = (node) => {
    const kept = node.internal_squashed;
    if (kept !== undefined && squashKept(node, kept.parts)) return kept.text;
    const text = squashTextNodesAfresh(node);
    node.internal_squashed = { text, parts: squashParts(node) };
    return text;
};
const squashTextNodesAfresh = (node) => {`;

const REWRITES = {
  'measure-text.js': [
    ['cache.set(text, dimensions);', `if (cache.size >= ${CACHE_LIMIT}) cache.clear();\n    cache.set(text, dimensions);`],
    ['export default measureText;', `export default measureText;\nexport const inkCacheSize = () => cache.size;${MARK}`],
    ['const cache = new Map();', `const cache = new Map();\n${PLAIN_WIDEST}`],
    ['const width = widestLine(text);', 'const width = plainWidest(text) ?? widestLine(text);'],
  ],
  'wrap-text.js': [
    ['const cache = {};', 'let cache = {};\nlet cached = 0;'],
    ['cache[cacheKey] = wrappedText;', `if (++cached > ${CACHE_LIMIT}) { cache = {}; cached = 1; }\n    cache[cacheKey] = wrappedText;`],
    ['export default wrapText;', `export default wrapText;\nexport const inkCacheSize = () => Object.keys(cache).length;${MARK}`],
  ],
  'squash-text-nodes.js': [
    ['const squashTextNodes = (node) => {', SQUASH_KEPT],
    ['export default squashTextNodes;', `export default squashTextNodes;${MARK}`],
  ],
  'render-node-to-output.js': [
    ["import widestLine from 'widest-line';", "import measureText from './measure-text.js';"],
    ['const currentWidth = widestLine(text);', 'const currentWidth = measureText(text).width;'],
    ['export default renderNodeToOutput;', `export default renderNodeToOutput;${MARK}`],
  ],
};

/** Ink's build files this rewrites, by base name. */
export const INK_CACHE_FILES = Object.keys(REWRITES);

/** `source` of Ink's build/`name` with its cache bounded; throws Error when a rewritten line is not found exactly once. */
export function boundInkCaches(name, source) {
  const rewrites = REWRITES[name];
  if (!rewrites) throw new Error(`ink-caches: no rewrite for ${name}`);
  let out = source;
  for (const [from, to] of rewrites) {
    const n = out.split(from).length - 1;
    if (n !== 1) throw new Error(`ink-caches: expected "${from}" once in Ink's ${name}, found it ${n} times (another Ink version?)`);
    out = out.replace(from, to);
  }
  return out;
}

/** The base name of the Ink build file at `path` (a path or file: URL) that boundInkCaches rewrites; undefined for any other file. */
export function inkCacheFile(path) {
  const m = /[\\/]ink[\\/]build[\\/]([\w-]+\.js)$/.exec(path);
  return m && INK_CACHE_FILES.includes(m[1]) ? m[1] : undefined;
}
