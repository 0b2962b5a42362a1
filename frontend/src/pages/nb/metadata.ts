// Menu actions for metadata: View > Cell Toolbar modes and Edit > Edit Notebook Metadata.

import { CELL_TOOLBARS, type CellToolbarName, editNotebookMetadata, notebookMetadataText, setCellToolbar } from "../../model/metadata";
import type { Notebook } from "../../model/notebook";
import { jsonDialog } from "../../view/jsondialog";
import type { Actions } from "./header";
import { t } from "../../i18n";

/** Action names of the cell toolbar modes, in menu order. */
export const CELL_TOOLBAR_ACTIONS = CELL_TOOLBARS.map(toolbarAction);

function toolbarAction(name: CellToolbarName): string {
  return `celltoolbar-${name.toLowerCase().replace(/\s+/g, "-")}`;
}

export function metadataActions(page: { model: Notebook }): Actions {
  const nb = page.model;
  const actions: Actions = {
    "edit-notebook-metadata": { label: "Edit Notebook Metadata", run: async () => {
      const help = t("Edit the notebook's metadata as JSON (an object). kernelspec needs name and display_name; language_info needs a name. Invalid metadata is never saved.");
      await jsonDialog(t("Edit Notebook Metadata"), help, notebookMetadataText(nb), (text) => editNotebookMetadata(nb, text));
    } },
  };
  for (const name of CELL_TOOLBARS) actions[toolbarAction(name)] = { label: `Cell Toolbar: ${name}`, run: () => setCellToolbar(nb, name) };
  return actions;
}
