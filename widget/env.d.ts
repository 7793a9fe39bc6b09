// Vite's `?inline` CSS import: the stylesheet as a string, attached inside each shadow root.
declare module '*.css?inline' {
  const css: string;
  export default css;
}
