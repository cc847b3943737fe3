/** Imports esbuild resolves for the page bundle: .txt as its text, .css as a side effect. */
declare module '*.txt' {
  const text: string;
  export default text;
}
declare module '*.css';
