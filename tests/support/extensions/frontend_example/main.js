// An example front-end extension (ES module form), used by the tests: a command with a
// toolbar button, a menu item and a shortcut, and a renderer for a MIME type.

export function load_ipython_extension(carnet) {
  let count = 0;
  const id = carnet.commands.register({
    id: "example:hello",
    label: "Say hello",
    keys: "Shift-E",
    run: () => {
      count += 1;
      document.body.dataset.exampleHello = String(count);
    },
  });
  carnet.toolbar.addButton({ command: id, text: "Hello" });
  carnet.menus.addItem("help", id);
  carnet.menus.addItem("Example", id); // a menu of its own
  carnet.renderers.register("application/vnd.example+json", (data, element) => {
    const box = document.createElement("div");
    box.className = "example-render";
    box.textContent = `Example: ${data.name} (${data.items.length} items)`;
    element.append(box);
  });
  document.body.dataset.exampleExtension = "loaded";
}
