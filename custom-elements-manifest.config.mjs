/**
 * The custom elements manifest (`npm run build` → dist/custom-elements.json; the element-manifest
 * test writes its own copy under test-results/). `packagejson: false`: neither may rewrite
 * package.json, whose `customElements` field names the built manifest.
 */
export default {
  packagejson: false,
};
