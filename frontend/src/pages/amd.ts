// A small AMD `define`/`require`, so the classic notebook's custom.js and extensions load:
//   define(['base/js/namespace'], function (Jupyter) { Jupyter._target = '_self'; });
// Only the modules Carnet provides (base/js/namespace, base/js/events) and modules
// defined with an id can be required; anything else is a console error naming it, and
// the factory is not called (the page goes on). DOM-free: tested in vitest.

// any: a factory takes whatever modules it names (as in RequireJS's own types).
type Factory = (...deps: any[]) => unknown;
type Errback = (error: Error) => void;

export interface Logger {
  error(...args: unknown[]): void;
}

export class AmdLoader {
  private readonly modules = new Map<string, unknown>();
  /** Who calls define() now (named in errors): custom.js, or an extension being loaded. */
  origin = "custom.js";
  /** Set while an extension loads: receives what its anonymous define() made. */
  onAnonymous: ((value: unknown) => void) | null = null;
  readonly define: ((...args: unknown[]) => void) & { amd: object };
  readonly require: (deps: string | string[], callback?: Factory, errback?: Errback) => unknown;

  constructor(private readonly log: Logger = console) {
    const define = (...args: unknown[]) => this.doDefine(args);
    // RequireJS marks its define so UMD bundles pick the AMD branch.
    this.define = Object.assign(define, { amd: {} });
    this.require = (deps, callback, errback) => this.doRequire(deps, callback, errback);
  }

  /** Makes `value` the module `id` (Carnet's own modules). */
  provide(id: string, value: unknown): void {
    this.modules.set(id, value);
  }

  has(id: string): boolean {
    return this.modules.has(id);
  }

  private doDefine(args: unknown[]): void {
    // The forms: define(factory|value), define(deps, factory), define(id, deps?, factory).
    const id = typeof args[0] === "string" ? (args.shift() as string) : null;
    const deps = Array.isArray(args[0]) ? (args.shift() as unknown[]).map(String) : [];
    const body = args[0];
    const run = (): void => {
      const exports: Record<string, unknown> = {};
      const made = typeof body === "function" ? (body as Factory)(...this.resolve(deps, id, exports)) : body;
      // A factory that fills `exports` instead of returning (the CommonJS-style form).
      const value = made === undefined && deps.includes("exports") ? exports : made;
      if (id !== null) this.modules.set(id, value);
      else this.onAnonymous?.(value);
    };
    if (!this.check(deps, id ?? this.origin)) return;
    try {
      run();
    } catch (error) {
      this.log.error(`Carnet: error in the module ${id ? `"${id}"` : `defined by ${this.origin}`}:`, error);
    }
  }

  private doRequire(deps: string | string[], callback?: Factory, errback?: Errback): unknown {
    if (typeof deps === "string") {
      // The synchronous form, require('id'): a module already there, or an error.
      if (!this.modules.has(deps)) throw new Error(this.missingMessage(deps, "require()"));
      return this.modules.get(deps);
    }
    const missing = deps.filter((dep) => !this.known(dep));
    if (missing.length) {
      const error = new Error(this.missingMessage(missing[0], "require()"));
      if (errback) errback(error);
      else this.log.error(error.message);
      return undefined;
    }
    try {
      callback?.(...this.resolve(deps, null, {}));
    } catch (error) {
      this.log.error("Carnet: error in a require() callback:", error);
    }
    return undefined;
  }

  private known(dep: string): boolean {
    return this.modules.has(dep) || dep === "require" || dep === "exports" || dep === "module";
  }

  private check(deps: string[], who: string): boolean {
    const missing = deps.filter((dep) => !this.known(dep));
    for (const dep of missing) this.log.error(this.missingMessage(dep, who));
    return missing.length === 0;
  }

  private missingMessage(dep: string, who: string): string {
    const provided = [...this.modules.keys()].map((id) => `"${id}"`).join(", ");
    return `Carnet: the module "${dep}" (asked for by ${who}) is not available; Carnet provides ${provided}`;
  }

  private resolve(deps: string[], id: string | null, exports: Record<string, unknown>): unknown[] {
    return deps.map((dep) => {
      if (dep === "require") return this.require;
      if (dep === "exports") return exports;
      if (dep === "module") return { id, exports };
      return this.modules.get(dep);
    });
  }
}
