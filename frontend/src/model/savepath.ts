// File > Save as: the path the user typed, as a notebook's contents path, or why it is not one.

/** A path relative to the home folder, ending in .ipynb; an error message for what cannot be. */
export function notebookPath(typed: string): { path: string } | { error: string } {
  // "dir/" names a folder: a notebook name must follow it.
  if (typed.trim().endsWith("/")) return { error: "Enter a notebook name after the folder" };
  const parts = typed.trim().split("/").filter((part) => part !== "" && part !== ".");
  const name = parts[parts.length - 1] ?? "";
  if (!name || name === ".ipynb") return { error: "Enter a notebook name (a path relative to the home folder)" };
  // A browser resolves ".." in a URL before the server sees it: refused here, with the reason.
  if (parts.includes("..")) return { error: "A notebook path cannot go above the home folder (..)" };
  parts[parts.length - 1] = name.endsWith(".ipynb") ? name : `${name}.ipynb`;
  return { path: parts.join("/") };
}
