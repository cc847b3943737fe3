/**
 * Imports esbuild resolves for the page bundle (src/site/bundle.ts): `./x.ts?script` as the text of
 * x.ts bundled on its own (the model page's Web Worker), .css as a side effect.
 */
declare module '*?script' {
  const text: string;
  export default text;
}
declare module '*.css';
