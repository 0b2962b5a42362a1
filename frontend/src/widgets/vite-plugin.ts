// Build-time fix for @jupyter-widgets/controls: its index module reads its version with
// CommonJS `require('../package.json')`, which does not exist in the browser. The plugin
// turns it into a JSON import, which Vite bundles. Used by vite.config.ts.

import type { Plugin } from "vite";

const PATTERN = /require\((['"])\.\.\/package\.json\1\)\.version/g;

export function widgetsVersionPlugin(): Plugin {
  return {
    name: "carnet-widgets-version",
    transform(code, id) {
      if (!id.includes("@jupyter-widgets/") || !code.includes("../package.json")) return null;
      const fixed = code.replace(PATTERN, "__widgetsPackage.version");
      if (fixed === code) return null;
      return { code: `import __widgetsPackage from "../package.json";\n${fixed}`, map: null };
    },
  };
}
